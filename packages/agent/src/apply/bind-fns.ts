/** One TCP address a config's `bind` line listens on. */
export interface BindAddress {
  host: string;
  port: number;
  /** 1-based line of the `bind` in the config. */
  line: number;
  /** The address as written (after environment expansion), for messages. */
  text: string;
}

// Protocol prefixes that are TCP; every other prefix (unix@, abns@, fd@, sockpair@, udp@,
// quic4@, …) is not a TCP port another program could hold, and is left to HAProxy.
const TCP_PREFIX = /^(?:(ipv4|ipv6|tcp|tcp4|tcp6)@)?(.*)$/;
// Bind options under which the address may legitimately not be local or not be free.
const SKIP_OPTIONS = new Set(["transparent", "freebind", "namespace"]);
const MAX_RANGE = 256;

/** Expands `${NAME}` the way HAProxy does inside double quotes (unset: empty). */
function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ""] ?? "");
}

/** Splits a config line into words, honouring HAProxy's quotes and `#` comments. */
export function splitConfigWords(line: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "#") break;
    if (c === " " || c === "\t") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
    } else if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      const inner = line.slice(i + 1, end < 0 ? undefined : end);
      cur += c === '"' ? expandEnv(inner, env) : inner;
      i = end < 0 ? line.length : end;
    } else {
      cur += c;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

function parseHostPort(addr: string, family: string | undefined): Array<{ host: string; port: number }> {
  const colon = addr.lastIndexOf(":");
  if (colon < 0 || addr.startsWith("/")) return [];
  let host = addr.slice(0, colon);
  const ports = addr.slice(colon + 1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const v6 = family === "ipv6" || family === "tcp6" || host.includes(":");
  if (host === "" || host === "*") host = v6 ? "::" : "0.0.0.0";
  const range = /^(\d+)(?:-(\d+))?$/.exec(ports);
  if (!range) return [];
  const from = Number(range[1]);
  const to = range[2] !== undefined ? Number(range[2]) : from;
  if (from < 1 || to > 65_535 || to < from || to - from >= MAX_RANGE) return [];
  const out: Array<{ host: string; port: number }> = [];
  for (let p = from; p <= to; p++) out.push({ host, port: p });
  return out;
}

/**
 * The TCP addresses a config binds, as far as a line-by-line reading can tell: `bind` lines in
 * any section, comma-separated address lists, port ranges, quoted `${VAR}` expanded from `env`.
 * Non-TCP addresses and binds with `transparent`, `freebind` or `namespace` are left out. Pure.
 */
export function bindAddresses(config: string, env: Readonly<Record<string, string | undefined>>): BindAddress[] {
  const out: BindAddress[] = [];
  const lines = config.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const words = splitConfigWords(lines[i]!, env);
    if (words[0] !== "bind" || words.length < 2) continue;
    if (words.slice(2).some((w) => SKIP_OPTIONS.has(w))) continue;
    for (const part of words[1]!.split(",")) {
      const m = TCP_PREFIX.exec(part.trim());
      if (!m || /^[a-z0-9]+@/.test(m[2] ?? "")) continue;
      for (const hp of parseHostPort(m[2] ?? "", m[1])) out.push({ ...hp, line: i + 1, text: part.trim() });
    }
  }
  return out;
}
