import { NAMED_SECTION_TYPES } from "./keywords.generated.js";
import { serverOptionArity } from "./keywords.js";
import { fromName, isProxySection } from "./inherit.js";
import { checkable, describe, type LintContext } from "./lint-context.js";
import type { ConfigSection } from "./types.js";

const NAMED: ReadonlySet<string> = new Set(NAMED_SECTION_TYPES);
const HEADER = (s: ConfigSection) => s.line;
const lineOf = (ctx: LintContext, n: number) => ctx.parsed.lines[n - 1]!;

/** Section headers: missing names, words HAProxy does not expect, `from` pointing nowhere. */
export function lintSectionHeaders(ctx: LintContext): void {
  const namedDefaults = new Set<string>();
  const laterDefaults = new Set(
    ctx.parsed.sections.filter((s) => s.type === "defaults" && s.name !== undefined).map((s) => s.name!),
  );
  for (const section of ctx.parsed.sections) {
    const header = lineOf(ctx, HEADER(section));
    if (NAMED.has(section.type) && section.name === undefined) {
      ctx.report(header, "error", "section-name-missing", `'${section.type}' expects a name: '${section.type} <name>'.`, header.columns[0]);
    }
    const extra = section.extraArgs;
    const extraColumn = (i: number) => header.columns[header.columns.length - extra.length + i];
    if (section.type === "global" && extra.length > 0) {
      ctx.report(header, "error", "unexpected-argument", `'global' cannot handle unexpected argument '${extra[0]}'.`, extraColumn(0));
    }
    if (isProxySection(section)) {
      const bad = extra[0] !== undefined && extra[0] !== "from" ? 0 : extra.length > 2 ? 2 : -1;
      if (bad >= 0) {
        ctx.report(header, "error", "unexpected-argument", `'${section.type}' cannot handle unexpected argument '${extra[bad]}'; only 'from <defaults>' may follow the name.`, extraColumn(bad));
      } else if (extra[0] === "from" && extra[1] === undefined) {
        ctx.report(header, "error", "unexpected-argument", `'from' expects the name of a defaults section.`, extraColumn(0));
      }
      const from = fromName(section);
      if (from !== undefined && !namedDefaults.has(from)) {
        const hint = laterDefaults.has(from) ? " It must be declared above the sections that use it." : "";
        ctx.report(header, "error", "defaults-not-found", `defaults section '${from}' not found for ${describe(section)}.${hint}`, extraColumn(1));
      }
    }
    if (section.type === "defaults" && section.name !== undefined) namedDefaults.add(section.name);
  }
}

// What each proxy type's name may collide with in 2.6: a frontend or listen is looked up
// among proxies with a frontend, a backend among proxies with a backend, and log-forward
// sections share one namespace with all of them.
const CLASHES: Record<string, ReadonlySet<string>> = {
  frontend: new Set(["frontend", "listen", "log-forward"]),
  listen: new Set(["frontend", "listen", "log-forward"]),
  backend: new Set(["backend", "listen", "log-forward"]),
  "log-forward": new Set(["frontend", "backend", "listen", "log-forward"]),
};
const SINGLE_NAMESPACE = new Set(["peers", "mailers", "resolvers", "cache", "ring", "http-errors", "fcgi-app", "program"]);

/** Duplicate names: proxies (by HAProxy 2.6's rules), other named sections, servers. */
export function lintDuplicates(ctx: LintContext): void {
  const seen: ConfigSection[] = [];
  for (const section of ctx.parsed.sections) {
    if (section.name === undefined || !checkable(ctx, lineOf(ctx, section.line))) continue;
    const header = lineOf(ctx, section.line);
    const clashes = CLASHES[section.type];
    const earlier = seen.filter((s) => s.name === section.name);
    const clash = clashes
      ? earlier.find((s) => clashes.has(s.type))
      : SINGLE_NAMESPACE.has(section.type) || section.type === "userlist"
        ? earlier.find((s) => s.type === section.type)
        : undefined;
    if (clash && section.type === "userlist") {
      ctx.report(header, "warning", "duplicate-section", `ignoring duplicated userlist '${section.name}': the one at line ${clash.line} is used.`, header.columns[1]);
    } else if (clash) {
      ctx.report(header, "error", "duplicate-name", `${describe(section)} has the same name as ${describe(clash)} declared at line ${clash.line}.`, header.columns[1]);
    } else if (section.type === "listen") {
      const backend = earlier.find((s) => s.type === "backend");
      if (backend) {
        ctx.report(header, "warning", "duplicate-name", `${describe(section)} has the same name as ${describe(backend)} declared at line ${backend.line}. HAProxy 2.6 accepts this order but refuses the reverse one; use distinct names.`, header.columns[1]);
      }
    }
    seen.push(section);
    if (section.type === "backend" || section.type === "listen") lintServerNames(ctx, section);
  }
}

function lintServerNames(ctx: LintContext, section: ConfigSection): void {
  const servers = new Map<string, number>();
  for (const line of section.directives) {
    if (line.keyword !== "server" || !checkable(ctx, line) || line.args[0] === undefined) continue;
    const name = line.args[0];
    const first = servers.get(name);
    if (first !== undefined) {
      ctx.report(line, "error", "duplicate-server", `${describe(section)}, another server named '${name}' was already defined at line ${first}, please use distinct names.`, line.columns[1]);
    } else servers.set(name, line.number);
  }
}

/** `server` lines without a name or an address (an option where the address goes counts). */
export function lintServerAddresses(ctx: LintContext): void {
  for (const section of ctx.parsed.sections) {
    if (section.type !== "backend" && section.type !== "listen") continue;
    for (const line of section.directives) {
      if (!checkable(ctx, line)) continue;
      const [name, address] = line.args;
      if (line.keyword === "server") {
        if (name === undefined || address === undefined) {
          ctx.report(line, "error", "server-address-missing", `'server' expects <name> and <addr>[:<port>] as arguments.`, line.columns[0]);
        } else if (serverOptionArity(address) !== undefined) {
          ctx.report(line, "error", "server-address-missing", `'server ${section.name ?? ""}/${name}' has no address: '${address}' is an option. Write 'server ${name} <addr>[:<port>] ${address} ...'.`, line.columns[2]);
        }
      } else if (line.keyword === "server-template" && line.args.length < 3) {
        ctx.report(line, "error", "server-address-missing", `'server-template' expects <prefix> <num | range> <fqdn>[:<port>] as arguments.`, line.columns[0]);
      }
    }
  }
}
