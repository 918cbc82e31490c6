import { Badge } from "@/components/ui/badge";
import type { ConfigDiff } from "./config-queries";

type Changes = ConfigDiff["summary"]["frontends"];

function describe(kind: string, changes: Changes): string[] {
  return [
    ...changes.added.map((n) => `+ ${kind} ${n}`),
    ...changes.removed.map((n) => `− ${kind} ${n}`),
    ...changes.changed.map((n) => `~ ${kind} ${n}`),
  ];
}

/** What a diff changes, in HAProxy's terms: lines, proxies, servers, global and defaults. */
export function DiffSummary({ diff }: { diff: ConfigDiff }) {
  const { summary, stats } = diff;
  const items = [
    ...describe("frontend", summary.frontends),
    ...describe("backend", summary.backends),
    ...describe("server", summary.servers),
    ...(summary.globalChanged ? ["~ global"] : []),
    ...(summary.defaultsChanged ? ["~ defaults"] : []),
  ];
  return (
    <div className="flex min-w-0 flex-1 flex-wrap items-center gap-1.5 pb-1" aria-label="Summary of the changes" data-testid="diff-summary">
      <Badge variant="success">+{stats.added}</Badge>
      <Badge variant="destructive">−{stats.removed}</Badge>
      {items.map((item) => (
        <Badge key={item} variant={item.startsWith("+") ? "success" : item.startsWith("−") ? "destructive" : "secondary"}>
          {item}
        </Badge>
      ))}
      {items.length === 0 && stats.added + stats.removed === 0 && <span className="text-sm text-muted-foreground">identical</span>}
    </div>
  );
}
