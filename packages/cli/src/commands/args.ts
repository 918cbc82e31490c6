import { CliError, UsageError } from "../errors.js";

/** A positive whole number given for `flag` (a count, a size). */
export function parseCount(text: string, flag: string, max = 1_000_000): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not ${JSON.stringify(text)}`);
  return n;
}

/** A config version on the command line: `7`, `v7` or `latest`. */
export type VersionArg = number | "latest";

/** Reads `7`, `v7` or `latest` (what `hactl config history` shows). */
export function parseVersion(text: string, what = "version"): VersionArg {
  const t = text.trim().toLowerCase();
  if (t === "latest") return "latest";
  const m = /^v?(\d{1,9})$/.exec(t);
  if (m && Number(m[1]) >= 1) return Number(m[1]);
  throw new UsageError(`${what} must be a version number (7 or v7) or latest, not ${JSON.stringify(text)}`);
}

/** The base version given with --base: 0 (the cluster has no version yet) or a version. */
export function parseBase(text: string): number {
  const t = text.trim().toLowerCase().replace(/^v/, "");
  if (!/^\d{1,9}$/.test(t)) throw new UsageError(`--base must be the version the file was edited from (0 for a first version), not ${JSON.stringify(text)}`);
  return Number(t);
}

/** Is `text` a UUID (an id rather than a name)? */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/**
 * The one item that `ref` names: the item with this id, else the one with this name, else the
 * only one whose id starts with `ref` (ids are shown shortened to 8 characters). Otherwise an
 * error (exit 1) says that nothing matched, or what an ambiguous name or prefix matches.
 */
export function pickByRef<T extends { id: string }>(items: readonly T[], ref: string, nameOf: (item: T) => string, kind: string): T {
  const byId = items.find((i) => i.id === ref.toLowerCase());
  if (byId) return byId;
  const byName = items.filter((i) => nameOf(i) === ref);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new CliError(`${byName.length} ${kind}s are named ${ref}; give the id: ${byName.map((i) => i.id).join(", ")}`);
  const byPrefix = /^[0-9a-f-]{4,}$/i.test(ref) ? items.filter((i) => i.id.startsWith(ref.toLowerCase())) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw new CliError(`${ref} is the start of ${byPrefix.length} ${kind} ids (${byPrefix.map(nameOf).join(", ")}); give more of it`);
  throw new CliError(`no ${kind} named ${ref}`);
}
