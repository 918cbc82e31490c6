import { HighlightStyle, LanguageSupport, StreamLanguage, syntaxHighlighting, type StringStream } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import {
  BIND_OPTIONS,
  CONVERTERS,
  GLOBAL_KEYWORDS,
  PROXY_KEYWORDS,
  RULE_ACTIONS,
  SAMPLE_FETCHES,
  SECTION_KEYWORDS,
  SECTION_TYPES,
  SERVER_OPTIONS,
} from "@ha-master/shared/haproxy-keywords";

const sections: ReadonlySet<string> = new Set(SECTION_TYPES);
const proxySections: ReadonlySet<string> = new Set(["defaults", "frontend", "backend", "listen"]);
// "option httpchk" is listed as one key; its first word is what starts a line.
const proxyFirstWords: ReadonlySet<string> = new Set(Object.keys(PROXY_KEYWORDS).map((k) => k.split(" ")[0]!));
const globalWords: ReadonlySet<string> = new Set(GLOBAL_KEYWORDS);
const otherSectionWords = new Map(Object.entries(SECTION_KEYWORDS).map(([section, words]) => [section, new Set(words)]));
const bindOptions: ReadonlySet<string> = new Set(Object.keys(BIND_OPTIONS));
const serverOptions: ReadonlySet<string> = new Set(Object.keys(SERVER_OPTIONS));
const ruleActions: ReadonlySet<string> = new Set(Object.values(RULE_ACTIONS).flat().map((a) => a.replace(/\*$/, "")));
const fetchesAndConverters: ReadonlySet<string> = new Set([...SAMPLE_FETCHES, ...CONVERTERS]);
const conditions: ReadonlySet<string> = new Set(["if", "unless", "or", "||", "!"]);
// After these first words, the next word names something (an ACL, a backend, a server...).
const namingWords: ReadonlySet<string> = new Set(["acl", "use_backend", "default_backend", "server", "default-server", "use-server"]);

export interface HaproxyState {
  /** The section the line belongs to ("global", "frontend", ...), null before the first. */
  section: string | null;
  /** The first word of the current line, once read. */
  first: string | null;
  /** How many words the current line has had so far. */
  words: number;
  /** The next word is the name of the section just opened. */
  sectionName: boolean;
}

function isKnownFirstWord(section: string | null, word: string): boolean {
  if (word === "no" || word === "default") return true;
  if (section === "global") return globalWords.has(word);
  if (section && proxySections.has(section)) return proxyFirstWords.has(word);
  return section ? (otherSectionWords.get(section)?.has(word) ?? false) : false;
}

function readWord(stream: StringStream): string {
  stream.eatWhile(/[^\s"'#(),]/);
  return stream.current();
}

function token(stream: StringStream, state: HaproxyState): string | null {
  if (stream.sol()) {
    state.first = null;
    state.words = 0;
    state.sectionName = false;
  }
  if (stream.eatSpace()) return null;
  const ch = stream.peek();
  if (ch === "#") {
    stream.skipToEnd();
    return "comment";
  }
  if (ch === '"' || ch === "'") {
    stream.next();
    let escaped = false;
    for (let c = stream.next(); c !== undefined; c = stream.next()) {
      if (c === ch && !escaped) break;
      escaped = !escaped && c === "\\" && ch === '"';
    }
    state.words++;
    return "string";
  }
  if (ch === "(" || ch === ")" || ch === ",") {
    stream.next();
    return "bracket";
  }

  const word = readWord(stream);
  if (!word) {
    stream.next();
    return null;
  }
  state.words++;

  if (state.words === 1) {
    state.first = word;
    if (sections.has(word)) {
      state.section = word;
      state.sectionName = true;
      return "header";
    }
    return isKnownFirstWord(state.section, word) ? "keyword" : "variable";
  }
  if (state.sectionName && state.words === 2) return "def";
  if (state.words === 2 && state.first && namingWords.has(state.first)) return "def";
  if (state.words === 2 && state.first === "option") return "keyword";
  if (conditions.has(word)) return "operator";
  if (/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(word)) return "variable-2";
  if (/^-[a-z]/.test(word)) return "meta";
  if (/^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?(:\d+(-\d+)?)?$/.test(word) || /^(\*|::)?:\d+(-\d+)?$/.test(word)) return "atom";
  if (/^\d+(\.\d+)?(us|ms|s|m|h|d|k|K|m|M|g|G|%)?$/.test(word)) return "number";
  if ((state.first === "bind" && bindOptions.has(word)) || ((state.first === "server" || state.first === "default-server") && serverOptions.has(word))) {
    return "attribute";
  }
  if (state.first && /^((http|tcp)-(request|response)|http-after-response)$/.test(state.first) && state.words === 2 && ruleActions.has(word)) {
    return "keyword";
  }
  if (fetchesAndConverters.has(word) || fetchesAndConverters.has(word.split(".")[0] ?? "") || stream.peek() === "(") return "builtin";
  return null;
}

/** HAProxy's configuration format as a CodeMirror stream language (no grammar exists for it). */
export const haproxyLanguage = StreamLanguage.define<HaproxyState>({
  name: "haproxy",
  startState: () => ({ section: null, first: null, words: 0, sectionName: false }),
  copyState: (s) => ({ ...s }),
  token,
  languageData: { commentTokens: { line: "#" } },
});

/** Colours from CSS variables, so the editor follows the system's light or dark scheme. */
export const haproxyHighlight = HighlightStyle.define([
  { tag: t.heading, color: "var(--hl-section)", fontWeight: "700" },
  { tag: t.keyword, color: "var(--hl-keyword)" },
  { tag: t.definition(t.variableName), color: "var(--hl-name)", fontWeight: "600" },
  { tag: t.comment, color: "var(--hl-comment)", fontStyle: "italic" },
  { tag: t.string, color: "var(--hl-string)" },
  { tag: t.number, color: "var(--hl-number)" },
  { tag: t.atom, color: "var(--hl-address)" },
  { tag: t.operatorKeyword, color: "var(--hl-operator)", fontWeight: "600" },
  { tag: t.operator, color: "var(--hl-operator)", fontWeight: "600" },
  { tag: t.attributeName, color: "var(--hl-attribute)" },
  { tag: t.meta, color: "var(--hl-meta)" },
  { tag: t.special(t.variableName), color: "var(--hl-env)" },
  { tag: t.standard(t.variableName), color: "var(--hl-fetch)" },
  { tag: t.variableName, color: "var(--hl-unknown)" },
  { tag: t.bracket, color: "var(--hl-meta)" },
]);

export function haproxy(): LanguageSupport {
  return new LanguageSupport(haproxyLanguage, [syntaxHighlighting(haproxyHighlight)]);
}

export const __test = { token };
