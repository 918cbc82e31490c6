import { cn } from "@/lib/utils";

function lineClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("Index:") || line.startsWith("====")) return "text-muted-foreground";
  if (line.startsWith("@@")) return "text-primary";
  if (line.startsWith("+")) return "bg-success/12 text-foreground";
  if (line.startsWith("-")) return "bg-destructive/10 text-foreground";
  return "text-muted-foreground";
}

/** A unified diff, one coloured line per line (added green, removed red). */
export function UnifiedDiffView({ diff, label, className }: { diff: string; label: string; className?: string }) {
  // jsdiff's patch header ("Index:" and a rule of "=") says nothing the labels do not.
  const lines = diff
    .replace(/\n$/, "")
    .split("\n")
    .filter((line) => !line.startsWith("Index:") && !/^=+$/.test(line));
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className={cn("max-h-80 overflow-auto rounded-md border bg-muted/30 py-2 font-mono text-xs leading-5", className)}
    >
      {lines.map((line, i) => (
        <div key={i} className={cn("px-3 whitespace-pre", lineClass(line))}>
          {line || " "}
        </div>
      ))}
    </pre>
  );
}
