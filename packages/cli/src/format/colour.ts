/** ANSI styles, or identity functions when colour is off, so callers never branch on it. */
export interface Colours {
  enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const style = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export function colours(enabled: boolean): Colours {
  if (!enabled) return { enabled, red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
  return { enabled, red: style(31, 39), green: style(32, 39), yellow: style(33, 39), cyan: style(36, 39), bold: style(1, 22), dim: style(2, 22) };
}

/**
 * Colour on a terminal, unless NO_COLOR is set (https://no-color.org) or TERM is dumb;
 * FORCE_COLOR forces it on (for pagers such as `less -R`).
 */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"]) return false;
  if (env["FORCE_COLOR"] && env["FORCE_COLOR"] !== "0") return true;
  return Boolean(stream.isTTY) && env["TERM"] !== "dumb";
}

// ECMA-48 CSI sequences: what colours() writes, and what a table must not count as width.
const ANSI = /\u001b\[[0-9;]*m/g;

/** The width a string takes on a terminal (ANSI styles take none). */
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, "")].length;
}
