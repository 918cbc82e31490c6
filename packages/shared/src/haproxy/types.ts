/** A problem found in a configuration, placed on the line HAProxy would name. */
export interface Diagnostic {
  /** 1-based line number. */
  line: number;
  /** 1-based column in the line's `raw` text, when the problem sits at a precise place. */
  column?: number;
  severity: "error" | "warning";
  /** Stable identifier of the rule, e.g. `unknown-keyword`. */
  code: string;
  message: string;
}

/** What a physical line holds once HAProxy's tokenizer has read it. */
export type LineKind = "blank" | "comment" | "section" | "directive";

/** One physical line of the file, kept whole so that the file can be written back unchanged. */
export interface ConfigLine {
  /** 1-based; HAProxy counts only LF, so a lone CR does not start a line. */
  number: number;
  /** The line without its end-of-line sequence. */
  raw: string;
  /** "" only on a last line that has no line feed. */
  eol: "\n" | "\r\n" | "";
  kind: LineKind;
  /** First word, unquoted; present on section and directive lines. */
  keyword?: string;
  /**
   * Words after the keyword with quotes and backslash escapes resolved the way HAProxy does.
   * Environment variables are left as written (`${X}`), since they expand on the node.
   */
  args: string[];
  /** 1-based start column in `raw` of the keyword followed by each argument. */
  columns: number[];
  /** Text after an unquoted `#`, without the `#`. */
  comment?: string;
}

/** Section keywords HAProxy 2.6 knows. */
export type SectionType =
  | "global"
  | "defaults"
  | "frontend"
  | "backend"
  | "listen"
  | "userlist"
  | "peers"
  | "mailers"
  | "resolvers"
  | "program"
  | "http-errors"
  | "ring"
  | "cache"
  | "log-forward"
  | "fcgi-app"
  | "namespace_list";

/** A section: its header line and the directive lines up to the next section. */
export interface ConfigSection {
  type: SectionType;
  name?: string;
  /** Line number of the header. */
  line: number;
  /** Line number of the section's last line (comments and blanks before the next header included). */
  endLine: number;
  /** The directive lines of the section, in order. */
  directives: ConfigLine[];
  /** Header words after the name, e.g. `["from", "base"]` for `frontend fe from base`. */
  extraArgs: string[];
}

/** A configuration file as lines and sections, plus what the tokenizer could not read. */
export interface ParsedConfig {
  lines: ConfigLine[];
  sections: ConfigSection[];
  /** Syntax problems: unmatched quotes, bad escapes, text before any section, stray NUL ... */
  diagnostics: Diagnostic[];
}
