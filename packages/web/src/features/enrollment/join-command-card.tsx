import { TriangleAlertIcon } from "lucide-react";
import { CopyButton } from "@/components/copy-button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import type { CreatedEnrollmentToken } from "./enrollment-queries";

/** The join command of a token just created: shown once, never again. */
export function JoinCommandCard({ token }: { token: CreatedEnrollmentToken }) {
  return (
    <Card className="border-primary/50">
      <CardHeader>
        <CardTitle>Join command for {token.clusterName}</CardTitle>
        <CardDescription className="flex items-center gap-1.5">
          <TriangleAlertIcon className="size-4 text-warning" aria-hidden />
          Shown only now. Run it as root on each HAProxy host; valid until {formatDateTime(token.expiresAt)} for {token.maxUses}{" "}
          {token.maxUses === 1 ? "node" : "nodes"}.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-2">
        <pre
          data-testid="join-command"
          tabIndex={0}
          aria-label="Join command"
          className="overflow-x-auto rounded-md border bg-muted/40 p-3 font-mono text-xs whitespace-pre-wrap break-all"
        >
          {token.joinCommand}
        </pre>
        <div>
          <CopyButton text={token.joinCommand} label="Copy join command" />
        </div>
      </CardContent>
    </Card>
  );
}
