import type { ConfigLine, ConfigSection, ParsedConfig } from "./types.js";

const PROXY_TYPES: ReadonlySet<string> = new Set(["defaults", "frontend", "backend", "listen"]);

/** Whether a section is one of the four proxy types that share defaults. */
export function isProxySection(section: ConfigSection): boolean {
  return PROXY_TYPES.has(section.type);
}

/** The name after `from` in a proxy header, if any. */
export function fromName(section: ConfigSection): string | undefined {
  return section.extraArgs[0] === "from" ? section.extraArgs[1] : undefined;
}

/**
 * Which defaults section each proxy section takes its settings from, following HAProxy 2.6:
 * `from <name>` names a defaults section declared earlier (the latest of that name); without
 * it, frontends, backends and listens take the last defaults section above them, while a
 * defaults section starts empty. Sections absent from the map inherit nothing.
 */
export function resolveDefaults(parsed: ParsedConfig): Map<ConfigSection, ConfigSection> {
  const map = new Map<ConfigSection, ConfigSection>();
  let last: ConfigSection | undefined;
  const named = new Map<string, ConfigSection>();
  for (const section of parsed.sections) {
    if (!isProxySection(section)) continue;
    const from = fromName(section);
    const parent = from !== undefined ? named.get(from) : section.type === "defaults" ? undefined : last;
    if (parent && parent !== section) map.set(section, parent);
    if (section.type === "defaults") {
      last = section;
      if (section.name !== undefined) named.set(section.name, section);
    }
  }
  return map;
}

/**
 * The directive that decides a setting for a section: the last matching line of the section
 * itself, else of the defaults it inherits from, and so on up the chain.
 */
export function effectiveDirective(
  section: ConfigSection,
  parents: ReadonlyMap<ConfigSection, ConfigSection>,
  match: (line: ConfigLine) => boolean,
): ConfigLine | undefined {
  const seen = new Set<ConfigSection>();
  for (let s: ConfigSection | undefined = section; s && !seen.has(s); s = parents.get(s)) {
    seen.add(s);
    for (let i = s.directives.length - 1; i >= 0; i--) {
      const line = s.directives[i]!;
      if (match(line)) return line;
    }
  }
  return undefined;
}

/** Matches `keyword` directives, or `keyword sub` when `sub` is given. */
export function directiveIs(keyword: string, sub?: string): (line: ConfigLine) => boolean {
  return (line) => line.keyword === keyword && (sub === undefined || line.args[0] === sub);
}
