import { haproxyProblems } from "@ha-master/shared";
import type { ApplyErrorLine } from "./applier.js";

/** Prefix of a release being written; such a directory is never complete and is removed on start. */
export const TMP_PREFIX = ".tmp-";

/** `yyyymmddThhmmss` in UTC. */
export function releaseTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "");
}

/** The directory name of a release: `<yyyymmddThhmmss>-<hash12>`, with `-<n>` when that name is taken. */
export function releaseName(at: Date, hash: string, attempt = 0): string {
  const base = `${releaseTimestamp(at)}-${hash.slice(0, 12)}`;
  return attempt === 0 ? base : `${base}-${attempt}`;
}

/** True for names `releaseName` produces (and not for temp directories or stray files). */
export function isReleaseName(name: string): boolean {
  return /^\d{8}T\d{6}-[0-9a-f]{1,12}(-\d+)?$/.test(name);
}

/** A release as the pruner sees it. */
export interface ReleaseInfo {
  name: string;
  /** Unix ms the release was written; orders releases (names alone do not within one second). */
  writtenAt: number;
}

/**
 * The releases to delete: all but the newest `keep`, and never one in `protect` (the current
 * and the previous release, which a local rollback needs).
 */
export function selectPrunable(releases: readonly ReleaseInfo[], keep: number, protect: ReadonlySet<string>): string[] {
  const newestFirst = [...releases].sort((a, b) => b.writtenAt - a.writtenAt || (a.name < b.name ? 1 : -1));
  return newestFirst.slice(Math.max(keep, 0)).map((r) => r.name).filter((n) => !protect.has(n));
}

/**
 * Maps what `haproxy -c` printed about files in `releaseDir` to error lines naming the bundle's
 * own paths (`haproxy.cfg`, not `/var/lib/ha-agent/releases/…/haproxy.cfg`). Line numbers are
 * HAProxy's, which are the config's: the agent runs the bundle's file unchanged.
 */
export function problemsToErrorLines(output: string, releaseDir: string): ApplyErrorLine[] {
  const prefix = releaseDir.endsWith("/") ? releaseDir : `${releaseDir}/`;
  const lines: ApplyErrorLine[] = [];
  for (const p of haproxyProblems(output)) {
    if (p.file === undefined || p.line === undefined) continue;
    const file = p.file.startsWith(prefix) ? p.file.slice(prefix.length) : p.file;
    lines.push({ file, line: p.line, message: p.message });
  }
  return lines;
}
