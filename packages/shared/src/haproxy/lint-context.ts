import { resolveDefaults } from "./inherit.js";
import type { ConfigLine, ConfigSection, Diagnostic, ParsedConfig } from "./types.js";

/** What every lint rule gets: the parsed file, facts computed once, and a way to report. */
export interface LintContext {
  parsed: ParsedConfig;
  /** Line numbers inside `.if` blocks: they may target another HAProxy version or be skipped. */
  conditional: ReadonlySet<number>;
  /** Line numbers HAProxy could not tokenize and therefore ignores. */
  unreadable: ReadonlySet<number>;
  /** The defaults section each proxy section inherits from. */
  parents: ReadonlyMap<ConfigSection, ConfigSection>;
  report(line: ConfigLine | number, severity: Diagnostic["severity"], code: string, message: string, column?: number): void;
}

/** A lint rule: reads the context, reports through it. */
export type LintRule = (ctx: LintContext) => void;

/** Builds the context for one run; diagnostics accumulate in `out`. */
export function createLintContext(parsed: ParsedConfig, out: Diagnostic[]): LintContext {
  const conditional = new Set<number>();
  let depth = 0;
  for (const line of parsed.lines) {
    const kw = line.keyword;
    if (kw === ".if") depth++;
    if (depth > 0) conditional.add(line.number);
    if (kw === ".endif" && depth > 0) depth--;
  }
  const unreadable = new Set<number>();
  for (const d of parsed.diagnostics) {
    if (d.code.startsWith("syntax-")) unreadable.add(d.line);
  }
  return {
    parsed,
    conditional,
    unreadable,
    parents: resolveDefaults(parsed),
    report(line, severity, code, message, column) {
      const d: Diagnostic = { line: typeof line === "number" ? line : line.number, severity, code, message };
      if (column !== undefined) d.column = column;
      out.push(d);
    },
  };
}

/** Whether a line's keywords should be checked: read by HAProxy and not conditional. */
export function checkable(ctx: LintContext, line: ConfigLine): boolean {
  return !ctx.conditional.has(line.number) && !ctx.unreadable.has(line.number);
}

/** "frontend 'fe'" / "backend 'be'" as HAProxy names a section in messages. */
export function describe(section: ConfigSection): string {
  return section.name === undefined ? `'${section.type}' section` : `${section.type} '${section.name}'`;
}
