import { AlertCircleIcon, AlertTriangleIcon, CheckCircle2Icon, InfoIcon } from "lucide-react";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import type { ConfigValidation } from "./config-queries";
import { sourceLabel, type ConfigProblem } from "./editor/diagnostics";

/** A validation result kept with the text it was made for. */
export interface ValidationRun {
  result: ConfigValidation;
  content: string;
  /** Set when the result came from a refused save (422). */
  refusedSave?: { requestId: string | undefined };
}

/** The last validation: a verdict, the HAProxy check's status, and every problem with a jump to its line. */
export function ProblemsPanel({ run, currentContent, onJump }: { run: ValidationRun; currentContent: string; onJump: (line: number) => void }) {
  const { result } = run;
  const outdated = run.content !== currentContent;
  const problems = [...result.errors, ...result.warnings];
  // A new result scrolls into view when the editor leaves it below the fold (short screens).
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    // (Recent Chromium returns a promise here: keep it from becoming the effect's cleanup.)
    void panel.current?.scrollIntoView?.({ block: "nearest" });
  }, [run]);
  return (
    <section ref={panel} aria-labelledby="problems-title" className="rounded-lg border" data-testid="problems-panel">
      <header className="flex flex-wrap items-center gap-2 border-b px-4 py-2.5">
        {result.valid ? (
          <CheckCircle2Icon className="size-4 text-success" aria-hidden />
        ) : (
          <AlertCircleIcon className="size-4 text-destructive" aria-hidden />
        )}
        <h2 id="problems-title" className="text-sm font-semibold">
          {run.refusedSave ? "Save refused: " : ""}
          {result.valid ? "Valid" : `${result.errors.length} ${result.errors.length === 1 ? "error" : "errors"}`}
          {result.warnings.length > 0 && `, ${result.warnings.length} ${result.warnings.length === 1 ? "warning" : "warnings"}`}
        </h2>
        <HaproxyCheckBadge haproxy={result.haproxy} />
        {outdated && <Badge variant="muted">edited since this check</Badge>}
        {run.refusedSave && (
          <span className="ml-auto font-mono text-xs text-muted-foreground">Request id: {run.refusedSave.requestId ?? "none"}</span>
        )}
      </header>
      {problems.length > 0 && (
        <ul className="max-h-56 divide-y overflow-y-auto">
          {problems.map((problem, i) => (
            <ProblemRow key={i} problem={problem} onJump={onJump} />
          ))}
        </ul>
      )}
      {result.haproxy.note && (
        <p className="flex items-center gap-2 border-t px-4 py-2 text-xs text-muted-foreground">
          <InfoIcon className="size-3.5" aria-hidden /> {result.haproxy.note}
        </p>
      )}
    </section>
  );
}

function ProblemRow({ problem, onJump }: { problem: ConfigProblem; onJump: (line: number) => void }) {
  const Icon = problem.severity === "error" ? AlertCircleIcon : AlertTriangleIcon;
  return (
    <li className="flex items-start gap-3 px-4 py-2 text-sm" data-testid="problem" data-line={problem.line ?? ""}>
      <Icon className={cn("mt-0.5 size-4 shrink-0", problem.severity === "error" ? "text-destructive" : "text-warning")} aria-label={problem.severity} />
      {problem.line !== null ? (
        <Button variant="link" size="sm" className="h-auto p-0 font-mono text-xs" onClick={() => onJump(problem.line!)}>
          line {problem.line}
        </Button>
      ) : (
        <span className="font-mono text-xs text-muted-foreground">no line</span>
      )}
      <span className="min-w-0 flex-1 break-words">{problem.message}</span>
      <Badge variant="outline" className="shrink-0">
        {sourceLabel(problem.source)}
      </Badge>
    </li>
  );
}

function HaproxyCheckBadge({ haproxy }: { haproxy: ConfigValidation["haproxy"] }) {
  return haproxy.checked ? (
    <Badge variant="secondary">checked by HAProxy {haproxy.version ?? ""}</Badge>
  ) : (
    <Badge variant="muted">HAProxy check not run</Badge>
  );
}
