import { UsageError } from "../errors.js";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "90s", "15m", "1h30m", "2d", "1w" → seconds; undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+[smhdw])+$/.test(trimmed)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) seconds += Number(n) * UNITS[unit!]!;
  return seconds;
}

/** Like parseDuration, but a UsageError naming the flag when the text is not a duration. */
export function requireDuration(text: string, flag: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds === 0) throw new UsageError(`${flag} must be a duration such as 90s, 15m, 1h or 7d, not ${JSON.stringify(text)}`);
  return seconds;
}

/**
 * A point in time given on the command line: a duration back from now ("1h": an hour ago), or an
 * ISO 8601 date or date-time ("2026-11-23", "2026-11-23T10:00:00Z"). Returns ISO 8601.
 */
export function parseTimeArg(text: string, flag: string, now: number): string {
  const seconds = parseDuration(text);
  if (seconds !== undefined) return new Date(now - seconds * 1000).toISOString();
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const ms = Date.parse(text.trim().replace(" ", "T"));
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw new UsageError(`${flag} must be a duration back from now (30m, 1h, 7d) or an ISO 8601 time (2026-11-23T10:00:00Z), not ${JSON.stringify(text)}`);
}

/** An ISO timestamp as "2026-11-23 10:15:17Z": UTC, to the second. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** How long ago: "just now", "42s ago", "5m ago", "3h ago", "12d ago"; "-" for none. */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return "-";
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  if (ms < 0) return `in ${formatDuration(-ms)}`;
  if (ms < 1000) return "just now";
  return `${formatDuration(ms)} ago`;
}

/** A duration in the two largest units: "850ms", "42s", "5m 3s", "3h 20m", "2d 4h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86_400), "d"],
    [Math.floor((s % 86_400) / 3600), "h"],
    [Math.floor((s % 3600) / 60), "m"],
    [s % 60, "s"],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  const [big, next] = [parts[first]!, parts[first + 1]];
  return next && next[0] > 0 ? `${big[0]}${big[1]} ${next[0]}${next[1]}` : `${big[0]}${big[1]}`;
}
