import { SECTION_TYPES } from "./keywords.generated.js";
import { tokenizeLine } from "./tokenize.js";
import type { ConfigLine, ConfigSection, Diagnostic, ParsedConfig, SectionType } from "./types.js";

const SECTION_KEYWORDS: ReadonlySet<string> = new Set(SECTION_TYPES);
// Sections that take no name: their header words all go to extraArgs.
const UNNAMED: ReadonlySet<string> = new Set(["global", "namespace_list"]);

/** Whether a word starts a section in HAProxy 2.6. */
export function isSectionKeyword(word: string): word is SectionType {
  return SECTION_KEYWORDS.has(word);
}

/**
 * Reads a configuration into lines and sections. Never throws: what HAProxy would refuse to
 * read (unmatched quotes, bad escapes, a stray NUL, text before any section, a last line
 * without LF) is returned in `diagnostics`. Every line is kept, so
 * `serializeConfig(parseConfig(text)) === text` for any string.
 */
export function parseConfig(text: string): ParsedConfig {
  const lines: ConfigLine[] = [];
  const sections: ConfigSection[] = [];
  const diagnostics: Diagnostic[] = [];
  let current: ConfigSection | undefined;
  let stopped = false; // HAProxy stops reading a file at a stray NUL

  let start = 0;
  let number = 0;
  while (start < text.length) {
    const lf = text.indexOf("\n", start);
    let raw: string;
    let eol: ConfigLine["eol"];
    if (lf < 0) {
      raw = text.slice(start);
      eol = "";
      start = text.length;
    } else if (lf > start && text.charCodeAt(lf - 1) === 13) {
      raw = text.slice(start, lf - 1);
      eol = "\r\n";
      start = lf + 1;
    } else {
      raw = text.slice(start, lf);
      eol = "\n";
      start = lf + 1;
    }
    number++;

    const tok = tokenizeLine(raw);
    const line: ConfigLine = { number, raw, eol, kind: "blank", args: [], columns: tok.columns };
    if (tok.comment !== undefined) line.comment = tok.comment;
    const first = tok.words[0];
    // parse_line() output whose first word is empty ("" or '') is skipped like a blank line.
    if (first !== undefined && first !== "") {
      line.keyword = first;
      line.args = tok.words.slice(1);
      line.kind = !tok.error && !tok.scope && isSectionKeyword(first) ? "section" : "directive";
    } else if (tok.comment !== undefined) {
      line.kind = "comment";
    }
    lines.push(line);

    if (tok.error) {
      diagnostics.push({ line: number, column: tok.error.column, severity: "error", code: tok.error.code, message: tok.error.message });
    }
    const nul = raw.indexOf("\0");
    if (nul >= 0 && !stopped) {
      stopped = true;
      diagnostics.push({
        line: number,
        column: nul + 1,
        severity: "error",
        code: "nul-character",
        message: `Stray NUL character at position ${nul + 1}. HAProxy stops reading the file here.`,
      });
    }
    if (eol === "" && raw !== "") {
      diagnostics.push({
        line: number,
        column: raw.length + 1,
        severity: "error",
        code: "missing-final-newline",
        message: `Missing LF on last line, file might have been truncated at position ${raw.length + 1}.`,
      });
    }

    if (line.kind === "section") {
      if (current) current.endLine = number - 1;
      const type = first as SectionType;
      const named = !UNNAMED.has(type) && line.args.length > 0;
      current = {
        type,
        line: number,
        endLine: number,
        directives: [],
        extraArgs: named ? line.args.slice(1) : line.args.slice(),
      };
      if (named) current.name = line.args[0]!;
      sections.push(current);
    } else if (current) {
      current.endLine = number;
      if (line.kind === "directive") current.directives.push(line);
    } else if (line.kind === "directive" && !tok.error && !tok.scope && !first!.startsWith(".")) {
      // Conditional blocks (.if/.endif) and messages (.warning) may stand outside sections.
      diagnostics.push({
        line: number,
        column: line.columns[0]!,
        severity: "error",
        code: "outside-section",
        message: `unknown keyword '${line.keyword}' out of section. Every directive must follow a section header such as 'global' or 'frontend <name>'.`,
      });
    }
  }
  return { lines, sections, diagnostics };
}

/** Writes lines back exactly as they were read (or as edited through `raw` and `eol`). */
export function serializeConfig(parsed: Pick<ParsedConfig, "lines">): string {
  let out = "";
  for (const line of parsed.lines) out += line.raw + line.eol;
  return out;
}
