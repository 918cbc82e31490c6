import type { Colours } from "./colour.js";

/** A problem found in a config, as the server reports it (ConfigProblem). */
export interface Problem {
  line: number | null;
  severity: "error" | "warning";
  source?: string;
  message: string;
}

/**
 * One problem in the form compilers and editors understand: `FILE:LINE: error: message`
 * (`FILE: error: message` when it has no line), so `:cfile` and CI annotations find the line.
 */
export function formatProblem(file: string, problem: Problem, c: Colours): string {
  const where = problem.line === null ? `${file}:` : `${file}:${problem.line}:`;
  const severity = problem.severity === "error" ? c.red("error:") : c.yellow("warning:");
  const source = problem.source === "haproxy" ? " (haproxy -c)" : "";
  return `${c.bold(where)} ${severity} ${problem.message}${source}`;
}

/** Every problem, errors first, each on its own line; "" when there are none. */
export function formatProblems(file: string, problems: readonly Problem[], c: Colours): string {
  const sorted = [...problems].sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
  return sorted.map((p) => formatProblem(file, p, c) + "\n").join("");
}

const rank = (p: Problem) => (p.severity === "error" ? 0 : 1);

/** The problems of a 422 `config_invalid` answer, whose details are the validation result. */
export function problemsOfDetails(details: unknown): Problem[] {
  if (typeof details !== "object" || details === null) return [];
  const { errors, warnings } = details as { errors?: unknown; warnings?: unknown };
  return [...(Array.isArray(errors) ? errors : []), ...(Array.isArray(warnings) ? warnings : [])].filter(isProblem);
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  return (p["line"] === null || typeof p["line"] === "number") && (p["severity"] === "error" || p["severity"] === "warning") && typeof p["message"] === "string";
}
