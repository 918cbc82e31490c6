import type { Colours } from "./colour.js";

/** Names added, removed and changed in one kind of section. */
export interface NameChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** The structured summary of a diff, as the server and `diffConfigs` describe it. */
export interface DiffSummary {
  frontends: NameChanges;
  backends: NameChanges;
  servers: NameChanges;
  globalChanged: boolean;
  defaultsChanged: boolean;
  others?: NameChanges;
}

/**
 * Colours a unified diff the way git does: file headers bold, hunk headers cyan, added lines
 * green, removed lines red. With colour off the text comes back unchanged, byte for byte.
 */
export function colourUnifiedDiff(unified: string, c: Colours): string {
  if (!c.enabled) return unified;
  return unified
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("===") || line.startsWith("Index:")) return c.bold(line);
      if (line.startsWith("@@")) return c.cyan(line);
      if (line.startsWith("+")) return c.green(line);
      if (line.startsWith("-")) return c.red(line);
      if (line.startsWith("\\")) return c.dim(line);
      return line;
    })
    .join("\n");
}

/**
 * The summary an operator reviews before saving: line counts, then per kind of section what was
 * added (+), removed (-) and changed (~). Empty kinds are left out.
 */
export function formatDiffSummary(summary: DiffSummary, stats: { added: number; removed: number }, c: Colours): string {
  const lines = [`${c.bold("Summary:")} ${c.green(`+${stats.added}`)} ${c.red(`-${stats.removed}`)} lines`];
  const kinds: Array<[string, NameChanges | undefined]> = [
    ["frontends", summary.frontends],
    ["backends", summary.backends],
    ["servers", summary.servers],
    ["other sections", summary.others],
  ];
  for (const [label, changes] of kinds) {
    if (!changes) continue;
    const parts = [
      ...changes.added.map((n) => c.green(`+${n}`)),
      ...changes.removed.map((n) => c.red(`-${n}`)),
      ...changes.changed.map((n) => c.yellow(`~${n}`)),
    ];
    if (parts.length > 0) lines.push(`  ${`${label}:`.padEnd(16)}${parts.join(" ")}`);
  }
  if (summary.globalChanged) lines.push(`  ${c.yellow("global section changed")}`);
  if (summary.defaultsChanged) lines.push(`  ${c.yellow("defaults changed")}`);
  return lines.join("\n") + "\n";
}
