import { isProxySection } from "./inherit.js";
import { secondWords } from "./keywords.js";
import { checkable, type LintContext } from "./lint-context.js";
import type { ConfigLine } from "./types.js";

const MODES = new Set(["tcp", "http"]);
const TIMEOUTS = new Set(secondWords("timeout"));

/**
 * The two values most often mistyped in proxy sections: `mode` and `timeout` durations.
 * Arguments of other keywords are left to HAProxy (`haproxy -c` on the node).
 */
export function lintValues(ctx: LintContext): void {
  for (const section of ctx.parsed.sections) {
    if (!isProxySection(section)) continue;
    for (const line of section.directives) {
      if (!checkable(ctx, line)) continue;
      if (line.keyword === "mode") checkMode(ctx, line);
      else if (line.keyword === "timeout" && TIMEOUTS.has(line.args[0] ?? "")) checkTimeout(ctx, line, line.args[0]!, line.args[1]);
    }
  }
}

function checkMode(ctx: LintContext, line: ConfigLine): void {
  const mode = line.args[0] ?? "";
  if (MODES.has(mode) || mode.includes("$")) return;
  const message =
    mode === "health"
      ? "'mode health' doesn't exist anymore. Please use 'http-request return status 200' instead."
      : `unknown proxy mode '${mode}'; expected 'tcp' or 'http'.`;
  ctx.report(line, "error", "invalid-value", message, line.columns[1] ?? line.columns[0]);
}

/** Reads a duration the way HAProxy's parse_time_err() does. */
function checkTimeout(ctx: LintContext, line: ConfigLine, name: string, value: string | undefined): void {
  const what = `'timeout ${name}'`;
  const column = line.columns[2];
  if (value === undefined) {
    ctx.report(line, "error", "invalid-value", `${what} expects an integer value (in milliseconds)`, line.columns[0]);
    return;
  }
  if (value.includes("$")) return;
  const digits = /^\d*/.exec(value)![0];
  const rest = value.slice(digits.length);
  const unit = /^(us|ms|s|m|h|d)/.exec(rest)?.[0] ?? "";
  if (digits === "" || (rest !== "" && unit === "")) {
    const bad = digits === "" ? value[0] : rest[0];
    ctx.report(line, "error", "invalid-value", `unexpected character '${bad}' in ${what}; write a number with an optional unit (us, ms, s, m, h, d).`, column);
  } else if (rest.length > unit.length) {
    ctx.report(
      line,
      "warning",
      "invalid-value",
      `unexpected character '${rest[unit.length]}' after the timer value '${value}', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.`,
      column,
    );
  }
}
