import { fromName, isProxySection } from "./inherit.js";
import { checkable, describe, type LintContext } from "./lint-context.js";
import type { ConfigLine, ConfigSection } from "./types.js";

// Directives that make a defaults section carry "TCP/HTTP rules" in HAProxy 2.6's sense;
// acl and tcp-request inspect-delay do not count.
function isRule(line: ConfigLine): boolean {
  switch (line.keyword) {
    case "http-request":
    case "http-response":
    case "http-after-response":
      return true;
    case "tcp-request":
      return line.args[0] === "connection" || line.args[0] === "session" || line.args[0] === "content";
    case "tcp-response":
      return line.args[0] === "content";
    default:
      return false;
  }
}

const header = (ctx: LintContext, s: ConfigSection) => ctx.parsed.lines[s.line - 1]!;

/**
 * How HAProxy 2.6 restricts the use of a defaults section that defines TCP/HTTP rules: only
 * frontends or only backends may inherit it, never a listen section or another defaults
 * section, and a frontend not when it defines `tcp-response content` rules. Also warns when a
 * named defaults section is used both implicitly and by `from`, which HAProxy reports as an
 * alert without failing.
 */
export function lintDefaultsUse(ctx: LintContext): void {
  const users = new Map<ConfigSection, ConfigSection[]>();
  for (const section of ctx.parsed.sections) {
    const parent = ctx.parents.get(section);
    if (parent && isProxySection(section)) users.set(parent, [...(users.get(parent) ?? []), section]);
  }
  for (const [defaults, children] of users) {
    const rules = defaults.directives.filter(isRule);
    if (rules.length > 0) checkRuleSharing(ctx, defaults, children, rules);
    if (defaults.name !== undefined) checkMixedUse(ctx, defaults, children);
  }
}

function checkRuleSharing(ctx: LintContext, defaults: ConfigSection, children: ConfigSection[], rules: ConfigLine[]): void {
  const at = `(defaults section at line ${defaults.line})`;
  const tcpResponse = rules.some((l) => l.keyword === "tcp-response");
  const kinds = new Set<string>();
  for (const child of children) {
    const h = header(ctx, child);
    if (!checkable(ctx, h)) continue;
    if (child.type === "listen" || child.type === "defaults") {
      ctx.report(h, "error", "defaults-rules-shared", `a ${child.type} section cannot inherit from a defaults section defining TCP/HTTP rules ${at}.`, h.columns[0]);
      continue;
    }
    if (child.type === "frontend" && tcpResponse) {
      ctx.report(h, "error", "defaults-rules-shared", `a frontend section cannot inherit from a defaults section defining 'tcp-response content' rules ${at}.`, h.columns[0]);
      continue;
    }
    kinds.add(child.type);
    if (kinds.size === 2) {
      ctx.report(h, "error", "defaults-rules-shared", `frontends and backends cannot inherit from the same defaults section if it defines TCP/HTTP rules ${at}. ${describe(child)} needs its own defaults section.`, h.columns[0]);
      kinds.delete(child.type); // report each later offender, not only the first
    }
  }
}

function checkMixedUse(ctx: LintContext, defaults: ConfigSection, children: ConfigSection[]): void {
  let explicit = false;
  let implicit = false;
  for (const child of children) {
    if (fromName(child) !== undefined) explicit = true;
    else implicit = true;
    if (explicit && implicit) {
      const h = header(ctx, child);
      if (checkable(ctx, h)) {
        ctx.report(
          h,
          "warning",
          "defaults-mixed-use",
          `defaults section '${defaults.name}' (declared at line ${defaults.line}) is explicitly referenced by another proxy and implicitly used here. To avoid any ambiguity don't mix both usage. Add a last defaults section not explicitly used or always use explicit references.`,
          h.columns[0],
        );
      }
      return;
    }
  }
}
