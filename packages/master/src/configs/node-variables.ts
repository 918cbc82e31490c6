/**
 * Configs may use `${NAME}` for values each node's environment provides (its own address, a
 * port). The master has no such environment; checking with them unset stops HAProxy at the first
 * such line, before the checks that need the whole config (a `use_backend` naming no backend).
 * So the master checks with a stand-in for each: a value of the right shape where the line shows
 * the shape (an address before `:port`, a port after `address:`), a number otherwise. Lines that
 * use them stay "not verifiable on the master": the nodes check them with their real values.
 */

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The `${NAME}` references of a line. */
export function variablesOf(line: string | undefined): string[] {
  return [...(line ?? "").matchAll(REFERENCE)].map((m) => m[1]!);
}

/** A stand-in value for every variable the config references, shaped by where it first appears. */
export function standInEnvironment(content: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of content.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(REFERENCE)) {
      const name = m[1]!;
      if (name in env) continue;
      const before = line[m.index - 1] ?? "";
      const after = line[m.index + m[0].length] ?? "";
      const keyword = /^\s*(\S+)/.exec(line)?.[1] ?? "";
      const wholeToken = /[\s"']/.test(before || " ") && /[\s"']/.test(after || " ");
      if (before === ":") env[name] = "1"; // a port
      else if (after === ":") env[name] = "127.0.0.1"; // an address with its port after it
      else if (wholeToken && (keyword === "bind" || keyword === "server")) env[name] = "127.0.0.1:1"; // a whole address
      else env[name] = "1";
    }
  }
  return env;
}
