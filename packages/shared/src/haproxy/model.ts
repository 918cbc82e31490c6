import { directiveIs, effectiveDirective, resolveDefaults } from "./inherit.js";
import { walkOptions } from "./options.js";
import type { ParsedConfig } from "./types.js";

/** A server line of a backend or listen section. */
export interface ServerSummary {
  name: string;
  address: string;
  /** The words after the address, as written (quotes resolved). */
  options: string[];
  line: number;
}

/** What a frontend (or listen section) receives and where it sends it. */
export interface FrontendSummary {
  name: string;
  kind: "frontend" | "listen";
  line: number;
  /** Effective mode, inherited from defaults when not set; HAProxy's default is tcp. */
  mode: string;
  /** Bind addresses, first word of each `bind` line. */
  binds: string[];
  defaultBackend?: string;
  /** Targets of `use_backend` rules in order, without repeats (dynamic ones as written). */
  useBackends: string[];
}

/** What a backend (or listen section) balances over. */
export interface BackendSummary {
  name: string;
  kind: "backend" | "listen";
  line: number;
  mode: string;
  /** The `balance` directive's words, e.g. "roundrobin" or "url_param userid". */
  balance?: string;
  servers: ServerSummary[];
}

/** The proxies of a configuration; listen sections appear in both lists. */
export interface ConfigSummary {
  frontends: FrontendSummary[];
  backends: BackendSummary[];
}

/** Summarizes frontends and backends, resolving mode, balance and default backend through defaults. */
export function summarizeConfig(parsed: ParsedConfig): ConfigSummary {
  const parents = resolveDefaults(parsed);
  const frontends: FrontendSummary[] = [];
  const backends: BackendSummary[] = [];
  for (const section of parsed.sections) {
    const { type, name } = section;
    if (name === undefined || (type !== "frontend" && type !== "backend" && type !== "listen")) continue;
    const setting = (kw: string) => effectiveDirective(section, parents, directiveIs(kw));
    const mode = setting("mode")?.args[0] ?? "tcp";
    if (type !== "backend") {
      const fe: FrontendSummary = {
        name,
        kind: type,
        line: section.line,
        mode,
        binds: section.directives.filter((l) => l.keyword === "bind" && l.args[0] !== undefined).map((l) => l.args[0]!),
        useBackends: [
          ...new Set(section.directives.filter((l) => l.keyword === "use_backend" && l.args[0] !== undefined).map((l) => l.args[0]!)),
        ],
      };
      const def = setting("default_backend")?.args[0];
      if (def !== undefined) fe.defaultBackend = def;
      frontends.push(fe);
    }
    if (type !== "frontend") {
      const servers = section.directives
        .filter((l) => l.keyword === "server" && l.args.length >= 2)
        .map((l) => ({ name: l.args[0]!, address: l.args[1]!, options: l.args.slice(2), line: l.number }));
      const be: BackendSummary = { name, kind: type, line: section.line, mode, servers };
      const balance = setting("balance");
      if (balance && balance.args.length > 0) be.balance = balance.args.join(" ");
      backends.push(be);
    }
  }
  return { frontends, backends };
}

/** A file the configuration points at: a certificate, CA, CRL, crt-list or base directory. */
export interface CertificateRef {
  line: number;
  /** 1-based column of the path in the line. */
  column: number;
  /** The option or directive naming it: "crt", "ca-file", "crt-base" ... */
  keyword: string;
  path: string;
}

/** Bind and server options whose argument is a file. */
export const FILE_OPTIONS: ReadonlySet<string> = new Set(["crt", "crt-list", "ca-file", "crl-file", "ca-verify-file", "ca-sign-file"]);
// Global directives naming a TLS file or the directory relative TLS paths resolve against.
const GLOBAL_FILE_DIRECTIVES: ReadonlySet<string> = new Set([
  "ca-base", "crt-base", "ssl-dh-param-file", "issuers-chain-path", "httpclient.ssl.ca-file",
]);

/**
 * Every TLS file reference: `crt`, `crt-list`, `ca-file`, `crl-file` (and the CA signing and
 * verification files) on bind, server and default-server lines of any section, plus the
 * global directives naming TLS files or base directories. The master places stored
 * certificates into a node's bundle from the references under `certs/`.
 */
export function certificateRefs(parsed: ParsedConfig): CertificateRef[] {
  const refs: CertificateRef[] = [];
  for (const section of parsed.sections) {
    for (const line of section.directives) {
      if (section.type === "global") {
        if (GLOBAL_FILE_DIRECTIVES.has(line.keyword!) && line.args[0] !== undefined) {
          refs.push({ line: line.number, column: line.columns[1]!, keyword: line.keyword!, path: line.args[0] });
        }
        continue;
      }
      const walk = walkOptions(line);
      for (const option of walk.options) {
        const path = option.values[0];
        if (FILE_OPTIONS.has(option.name) && path !== undefined) {
          refs.push({ line: line.number, column: line.columns[option.index + 2]!, keyword: option.name, path });
        }
      }
      // Past a word the walk could not read, any "crt <path>" pair still names a file the
      // bundle may need, so a reference is never missed for want of certainty.
      for (let i = walk.stoppedAt; i + 1 < line.args.length; i++) {
        const name = line.args[i]!;
        if (FILE_OPTIONS.has(name)) {
          refs.push({ line: line.number, column: line.columns[i + 2]!, keyword: name, path: line.args[i + 1]! });
          i++;
        }
      }
    }
  }
  return refs;
}
