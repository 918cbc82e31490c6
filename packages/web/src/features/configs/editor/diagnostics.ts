import type { Diagnostic } from "@codemirror/lint";
import type { Text } from "@codemirror/state";
import type { Schemas } from "@ha-master/api-client";

export type ConfigProblem = Schemas["ConfigProblem"];

const SOURCE_LABEL: Record<ConfigProblem["source"], string> = {
  parser: "HA-Master",
  bundle: "bundle",
  haproxy: "haproxy -c",
};

/**
 * The master's validation problems as editor diagnostics, each on its whole line. Problems
 * without a line (or past the end, if the text changed since) are not markers; the problems
 * list shows every problem.
 */
export function toDiagnostics(doc: Text, problems: readonly ConfigProblem[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const problem of problems) {
    if (problem.line === null || problem.line < 1 || problem.line > doc.lines) continue;
    const line = doc.line(problem.line);
    diagnostics.push({
      from: line.from,
      to: line.to,
      severity: problem.severity,
      source: SOURCE_LABEL[problem.source],
      message: problem.code ? `${problem.message} [${problem.code}]` : problem.message,
    });
  }
  return diagnostics;
}

export function sourceLabel(source: ConfigProblem["source"]): string {
  return SOURCE_LABEL[source];
}
