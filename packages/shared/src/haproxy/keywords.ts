import {
  BIND_OPTIONS,
  GLOBAL_KEYWORDS,
  NEGATABLE_KEYWORDS,
  NEGATABLE_OPTIONS,
  PROXY_KEYWORDS,
  RULE_ACTIONS,
  SECTION_KEYWORDS,
  SERVER_OPTIONS,
} from "./keywords.generated.js";

/** The four proxy section types, which share one keyword table. */
export type ProxyType = "defaults" | "frontend" | "listen" | "backend";

/** Whether HAProxy accepts a keyword in a section: "y" yes, "w" ignores it with a warning, "e" refuses it. */
export type Availability = "y" | "w" | "e";

/** How a proxy directive's words map onto the keyword table. */
export interface ProxyKeywordMatch {
  /** Table key: the first word, or the first two words for heads such as "option". */
  key: string;
  /** Set when the first word is a head and the second word is not one of its keywords. */
  unknownSecond?: boolean;
  /** Set when even the first word is unknown. */
  unknown?: boolean;
}

const globalKeywords: ReadonlySet<string> = new Set(GLOBAL_KEYWORDS);
const sectionKeywords = new Map(Object.entries(SECTION_KEYWORDS).map(([k, v]) => [k, new Set(v)]));
const negatable: ReadonlySet<string> = new Set(NEGATABLE_KEYWORDS);
const negatableOptions: ReadonlySet<string> = new Set(NEGATABLE_OPTIONS);

// "option httpchk" → head "option" with second word "httpchk"; single words stand alone.
const heads = new Map<string, Set<string>>();
const singles = new Set<string>();
for (const key of Object.keys(PROXY_KEYWORDS)) {
  const space = key.indexOf(" ");
  if (space < 0) singles.add(key);
  else {
    const head = key.slice(0, space);
    let set = heads.get(head);
    if (!set) heads.set(head, (set = new Set()));
    set.add(key.slice(space + 1));
  }
}

/** First words a proxy section accepts, for suggestions. */
export const proxyFirstWords: readonly string[] = [...singles, ...heads.keys()];

/** The second words a head such as "option" or "timeout" accepts. */
export function secondWords(head: string): readonly string[] {
  return [...(heads.get(head) ?? [])];
}

/** Whether a head such as "option" accepts a second word. */
export function hasSecondWord(head: string, word: string): boolean {
  return heads.get(head)?.has(word) ?? false;
}

/** Finds a proxy directive in the keyword table. `words` are the keyword and its arguments. */
export function matchProxyKeyword(words: readonly string[]): ProxyKeywordMatch {
  const first = words[0] ?? "";
  const seconds = heads.get(first);
  if (seconds) {
    const second = words[1] ?? "";
    if (seconds.has(second)) return { key: `${first} ${second}` };
    // http-check and tcp-check write variables as "set-var(check.x)": compare the name only.
    const paren = second.indexOf("(");
    const bare = paren < 0 ? second : second.slice(0, paren);
    if (seconds.has(bare)) return { key: `${first} ${bare}` };
    return { key: `${first} ${second}`, unknownSecond: true };
  }
  if (singles.has(first)) return { key: first };
  return { key: first, unknown: true };
}

const ORDER = { anonymousDefaults: 0, defaults: 1, frontend: 2, listen: 3, backend: 4 } as const;

/** Where a known proxy keyword may appear; `named` matters for defaults sections only. */
export function proxyAvailability(key: string, type: ProxyType, named: boolean): Availability {
  const flags = PROXY_KEYWORDS[key];
  if (!flags) return "y";
  const index = type === "defaults" && !named ? ORDER.anonymousDefaults : ORDER[type];
  return flags[index] as Availability;
}

/** Whether the global section knows a first word. */
export function isGlobalKeyword(word: string): boolean {
  return globalKeywords.has(word);
}

/** The keywords of a small section (userlist, peers ...), or undefined when unchecked. */
export function smallSectionKeywords(type: string): ReadonlySet<string> | undefined {
  return sectionKeywords.get(type);
}

/** Whether `no` / `default` may precede this first word. */
export function isNegatable(word: string): boolean {
  return negatable.has(word);
}

/** Whether `no option <name>` is accepted. */
export function isNegatableOption(name: string): boolean {
  return negatableOptions.has(name);
}

const RULE_HEADS: ReadonlySet<string> = new Set(Object.keys(RULE_ACTIONS).map((r) => r.split(" ")[0]!));

/** Rule keywords whose action is checked: "http-request", "tcp-request content" ... */
export function ruleOf(words: readonly string[]): { rule: string; action: string; index: number } | undefined {
  const [first, second, third] = words;
  if (first === undefined || second === undefined || !RULE_HEADS.has(first)) return undefined;
  if (RULE_ACTIONS[first]) return { rule: first, action: second, index: 1 };
  const two = `${first} ${second}`;
  if (RULE_ACTIONS[two] && third !== undefined) return { rule: two, action: third, index: 2 };
  return undefined;
}

// Per rule: exact action names, and prefixes (entries ending in "*") such as "set-var".
const actionTables = new Map(
  Object.entries(RULE_ACTIONS).map(([rule, list]) => [
    rule,
    {
      exact: new Set(list.filter((a) => !a.endsWith("*"))),
      prefixes: list.filter((a) => a.endsWith("*")).map((a) => a.slice(0, -1)),
    },
  ]),
);

/** Whether a rule accepts an action; "set-var(txn.x)" matches the prefix entry "set-var*". */
export function isKnownAction(rule: string, action: string): boolean {
  const table = actionTables.get(rule);
  if (!table || table.exact.has(action)) return true;
  return table.prefixes.some((p) => action.startsWith(p));
}

/** Action names of a rule, prefixes written without their "*". */
export function actionNames(rule: string): readonly string[] {
  return (RULE_ACTIONS[rule] ?? []).map((a) => a.replace(/\*$/, ""));
}

/** Number of arguments a bind option takes (-1: variable), or undefined when unknown. */
export function bindOptionArity(name: string): number | undefined {
  return BIND_OPTIONS[name];
}

/** Number of arguments a server option takes (-1: variable), or undefined when unknown. */
export function serverOptionArity(name: string): number | undefined {
  return SERVER_OPTIONS[name];
}
