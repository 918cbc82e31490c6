import { bindOptionArity, serverOptionArity } from "./keywords.js";
import type { ConfigLine } from "./types.js";

/** One option of a bind or server line with the arguments it consumed. */
export interface OptionUse {
  name: string;
  /** Index of the option name in the line's `args`. */
  index: number;
  values: string[];
}

/** The options of a bind/server line, as far as they could be read with certainty. */
export interface OptionWalk {
  options: OptionUse[];
  /** The first word that is not a known option, where reading stopped. */
  unknown?: { index: number; name: string };
  /** Index in `args` of the first word not read with certainty (`args.length` when all were). */
  stoppedAt: number;
}

/**
 * Where the options start on a line that takes bind or server options, and which table
 * applies; undefined for other lines. Peers `server` lines may omit the address.
 */
export function optionLayout(line: ConfigLine): { start: number; kind: "bind" | "server" } | undefined {
  switch (line.keyword) {
    case "bind":
      return { start: 1, kind: "bind" };
    case "default-bind":
      return { start: 0, kind: "bind" };
    case "default-server":
      return { start: 0, kind: "server" };
    case "server":
    case "peer": {
      const addressless = line.args[1] !== undefined && serverOptionArity(line.args[1]) !== undefined;
      return { start: addressless && line.keyword === "server" ? 1 : 2, kind: "server" };
    }
    case "server-template":
      return { start: 3, kind: "server" };
    default:
      return undefined;
  }
}

/**
 * Reads options left to right using the argument counts HAProxy registers for them. Reading
 * stops at a word that is not an option, at an option taking a variable number of arguments,
 * and at an environment variable (which may expand to several words), so a caller is only
 * told about options it can be sure of.
 */
export function walkOptions(line: ConfigLine): OptionWalk {
  const layout = optionLayout(line);
  const out: OptionWalk = { options: [], stoppedAt: line.args.length };
  if (!layout) return out;
  const arity = layout.kind === "bind" ? bindOptionArity : serverOptionArity;
  const args = line.args;
  let i = layout.start;
  while (i < args.length) {
    const name = args[i]!;
    if (name.includes("$")) break;
    const n = arity(name);
    if (n === undefined) {
      out.unknown = { index: i, name };
      break;
    }
    if (n < 0) {
      out.options.push({ name, index: i, values: args.slice(i + 1) });
      i++;
      break;
    }
    out.options.push({ name, index: i, values: args.slice(i + 1, i + 1 + n) });
    i += 1 + n;
  }
  out.stoppedAt = Math.min(i, args.length);
  return out;
}
