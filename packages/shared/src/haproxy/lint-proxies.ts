import { directiveIs, effectiveDirective } from "./inherit.js";
import { checkable, describe, type LintContext } from "./lint-context.js";
import { didYouMean } from "./suggest.js";
import type { ConfigLine, ConfigSection } from "./types.js";

/** Whether a backend name is only known at run time (sample expression or variable). */
export function isDynamicName(name: string): boolean {
  return name.includes("%[") || name.includes("$");
}

/**
 * `default_backend` and `use_backend` naming a backend that does not exist. HAProxy resolves
 * these after reading the whole file, among backend and listen sections. A defaults section's
 * `default_backend` is checked where a frontend or listen actually inherits it.
 */
export function lintBackendReferences(ctx: LintContext): void {
  const backends = new Set<string>();
  for (const s of ctx.parsed.sections) {
    if ((s.type === "backend" || s.type === "listen") && s.name !== undefined) backends.add(s.name);
  }
  const reported = new Set<ConfigLine>();
  const check = (line: ConfigLine, inheritedBy?: ConfigSection) => {
    const name = line.args[0];
    if (name === undefined || isDynamicName(name) || backends.has(name) || reported.has(line) || !checkable(ctx, line)) return;
    reported.add(line);
    const via = inheritedBy ? ` (inherited by ${describe(inheritedBy)})` : "";
    const message = `unable to find required ${line.keyword}: '${name}'${via}${didYouMean(name, backends)}`;
    ctx.report(line, "error", "backend-not-found", message, line.columns[1]);
  };
  for (const section of ctx.parsed.sections) {
    if (section.type !== "frontend" && section.type !== "listen") continue;
    for (const line of section.directives) {
      if (line.keyword === "use_backend" || line.keyword === "default_backend") check(line);
    }
    const inherited = effectiveDirective(section, ctx.parents, directiveIs("default_backend"));
    if (inherited && !section.directives.includes(inherited)) check(inherited, section);
  }
}

// A timeout of zero is the same as none.
const ZERO = /^0+(\.0*)?(us|ms|s|m|h|d)?$/;

/**
 * The warning HAProxy prints after reading the file: a proxy in tcp or http mode without the
 * timeouts it needs. A frontend needs `timeout client`; a backend with servers needs
 * `timeout connect` and `timeout server` (in tcp mode `timeout tunnel` can replace the latter).
 */
export function lintMissingTimeouts(ctx: LintContext): void {
  for (const section of ctx.parsed.sections) {
    if (section.type !== "frontend" && section.type !== "backend" && section.type !== "listen") continue;
    if (!checkable(ctx, ctx.parsed.lines[section.line - 1]!)) continue;
    const setting = (kw: string, sub?: string) => effectiveDirective(section, ctx.parents, directiveIs(kw, sub));
    const mode = setting("mode")?.args[0] ?? "tcp";
    if (mode !== "tcp" && mode !== "http") continue;
    const timeout = (name: string) => {
      const line = setting("timeout", name);
      const value = line?.args[1];
      return value !== undefined && !ZERO.test(value);
    };
    const missing: string[] = [];
    if (section.type !== "backend" && !timeout("client")) missing.push("client");
    const hasServers = section.directives.some((l) => l.keyword === "server" || l.keyword === "server-template");
    if (section.type !== "frontend" && hasServers) {
      if (!timeout("connect")) missing.push("connect");
      if (!timeout("server") && (mode === "http" || !timeout("tunnel"))) missing.push("server");
    }
    if (missing.length === 0) continue;
    const list = missing.map((m) => `'timeout ${m}'`).join(" and ");
    ctx.report(
      section.line,
      "warning",
      "missing-timeouts",
      `missing timeouts for ${describe(section)}: set ${list} in it or in its defaults section. While not properly invalid, you will certainly encounter various problems with such a configuration.`,
    );
  }
}

const idleCloseSetting = (line: ConfigLine) =>
  (line.keyword === "option" && line.args[0] === "idle-close-on-response") ||
  (line.keyword === "no" && line.args[0] === "option" && line.args[1] === "idle-close-on-response");

/**
 * Not one of HAProxy's warnings but a deployment one: HA-Master applies every version by reloading
 * HAProxy, and at each reload the old process closes its idle keep-alive connections; a client
 * that sent a request on one at that moment gets a reset (`npm run bench:reload`: 58 failed of
 * 120,000 requests over 20 reloads without the option, none with it). `option
 * idle-close-on-response` makes the old process answer such a request, with `Connection: close`.
 * An explicit `no option idle-close-on-response` is the operator's choice and is respected.
 */
export function lintReloadResets(ctx: LintContext): void {
  for (const section of ctx.parsed.sections) {
    if (section.type !== "frontend" && section.type !== "listen") continue;
    if (!checkable(ctx, ctx.parsed.lines[section.line - 1]!)) continue;
    if (effectiveDirective(section, ctx.parents, directiveIs("mode"))?.args[0] !== "http") continue;
    if (effectiveDirective(section, ctx.parents, idleCloseSetting)) continue;
    ctx.report(
      section.line,
      "warning",
      "reload-resets-idle",
      `${describe(section)}: without 'option idle-close-on-response', every reload resets idle keep-alive connections and a client may get an error; set it here or in its defaults section.`,
    );
  }
}
