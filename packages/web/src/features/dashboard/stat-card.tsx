import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/** A number that matters, what it counts, and where to look closer. */
export function StatCard({
  icon: Icon,
  label,
  value,
  detail,
  to,
  tone = "default",
}: {
  icon: LucideIcon;
  label: string;
  value: ReactNode | undefined;
  detail?: ReactNode;
  to: string;
  tone?: "default" | "good" | "warn" | "bad";
}) {
  return (
    <Card className="p-0">
      <Link to={to} className="flex h-full flex-col gap-1 rounded-lg px-5 py-4 hover:bg-accent/50 focus-visible:outline-2 focus-visible:outline-ring">
        <span className="flex items-center gap-2 text-sm text-muted-foreground">
          <Icon className="size-4" aria-hidden /> {label}
        </span>
        {value === undefined ? (
          <Skeleton className="h-8 w-16" />
        ) : (
          <span
            className={cn(
              "text-2xl font-semibold tabular-nums",
              tone === "good" && "text-success",
              tone === "warn" && "text-[color-mix(in_oklch,var(--warning)_75%,var(--foreground))]",
              tone === "bad" && "text-destructive",
            )}
          >
            {value}
          </span>
        )}
        {detail && <span className="text-xs text-muted-foreground">{detail}</span>}
      </Link>
    </Card>
  );
}
