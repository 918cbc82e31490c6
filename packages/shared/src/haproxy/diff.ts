import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from "diff";
import { parseConfig } from "./parse.js";
import type { ConfigLine, ConfigSection, ParsedConfig } from "./types.js";

/** Names added, removed and changed between two versions. */
export interface NameChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What changed between two configuration versions, in terms an operator reviews. */
export interface ConfigDiffSummary {
  /** Frontends and listen sections. */
  frontends: NameChanges;
  /** Backends and listen sections. */
  backends: NameChanges;
  /** Servers as "backend/server". */
  servers: NameChanges;
  globalChanged: boolean;
  defaultsChanged: boolean;
  /** Other named sections (userlist, peers, resolvers ...) as "type name". */
  others: NameChanges;
}

/** A unified diff with its line counts and a per-section summary. */
export interface ConfigDiff {
  /** Standard unified diff with 3 lines of context; empty when the texts are identical. */
  unified: string;
  stats: { added: number; removed: number };
  summary: ConfigDiffSummary;
}

/** Labels for the `---` and `+++` headers, e.g. "v12" and "v13". */
export interface DiffLabels {
  fromLabel: string;
  toLabel: string;
}

/**
 * Compares two configuration texts. The unified diff is byte-exact (whitespace, comments and
 * line endings count); the summary is semantic: a section or server "changed" only when its
 * directives differ once comments and spacing are set aside.
 */
export function diffConfigs(aText: string, bText: string, labels: DiffLabels): ConfigDiff {
  let unified = "";
  let added = 0;
  let removed = 0;
  if (aText !== bText) {
    const patch = structuredPatch(labels.fromLabel, labels.toLabel, aText, bText, undefined, undefined, { context: 3 });
    for (const hunk of patch.hunks) {
      for (const l of hunk.lines) {
        if (l.startsWith("+")) added++;
        else if (l.startsWith("-")) removed++;
      }
    }
    if (patch.hunks.length > 0) unified = formatPatch(patch, FILE_HEADERS_ONLY);
  }
  return { unified, stats: { added, removed }, summary: summarize(parseConfig(aText), parseConfig(bText)) };
}

// Words joined with a separator that cannot occur in a line, so that spacing, quoting style
// and comments do not count as changes but every word does.
const SEP = "\u0000";
const fingerprint = (line: ConfigLine) => [line.keyword, ...line.args].join(SEP);
const body = (sections: ConfigSection[]) =>
  sections.map((s) => [s.type, s.name ?? "", ...s.extraArgs, ...s.directives.map(fingerprint)].join("\n")).join("\n\n");

function byName(parsed: ParsedConfig, types: readonly string[], withType = false): Map<string, ConfigSection[]> {
  const map = new Map<string, ConfigSection[]>();
  for (const s of parsed.sections) {
    if (!types.includes(s.type) || s.name === undefined) continue;
    const key = withType ? `${s.type} ${s.name}` : s.name;
    map.set(key, [...(map.get(key) ?? []), s]);
  }
  return map;
}

function compare(a: Map<string, string>, b: Map<string, string>): NameChanges {
  const out: NameChanges = { added: [], removed: [], changed: [] };
  for (const [name, fp] of b) {
    const before = a.get(name);
    if (before === undefined) out.added.push(name);
    else if (before !== fp) out.changed.push(name);
  }
  for (const name of a.keys()) if (!b.has(name)) out.removed.push(name);
  return out;
}

const fingerprints = (map: Map<string, ConfigSection[]>) => new Map([...map].map(([k, v]) => [k, body(v)]));

function servers(parsed: ParsedConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of parsed.sections) {
    if ((s.type !== "backend" && s.type !== "listen") || s.name === undefined) continue;
    for (const line of s.directives) {
      if (line.keyword === "server" && line.args[0] !== undefined) out.set(`${s.name}/${line.args[0]}`, fingerprint(line));
    }
  }
  return out;
}

const OTHER_TYPES = ["userlist", "peers", "mailers", "resolvers", "program", "http-errors", "ring", "cache", "log-forward", "fcgi-app"];

function summarize(a: ParsedConfig, b: ParsedConfig): ConfigDiffSummary {
  const all = (p: ParsedConfig, type: string) => body(p.sections.filter((s) => s.type === type));
  return {
    frontends: compare(fingerprints(byName(a, ["frontend", "listen"])), fingerprints(byName(b, ["frontend", "listen"]))),
    backends: compare(fingerprints(byName(a, ["backend", "listen"])), fingerprints(byName(b, ["backend", "listen"]))),
    servers: compare(servers(a), servers(b)),
    globalChanged: all(a, "global") !== all(b, "global"),
    defaultsChanged: all(a, "defaults") !== all(b, "defaults"),
    others: compare(fingerprints(byName(a, OTHER_TYPES, true)), fingerprints(byName(b, OTHER_TYPES, true))),
  };
}
