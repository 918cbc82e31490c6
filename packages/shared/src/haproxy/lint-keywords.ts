import {
  BIND_OPTIONS,
  GLOBAL_KEYWORDS,
  NEGATABLE_KEYWORDS,
  REMOVED_GLOBAL_KEYWORDS,
  REMOVED_PROXY_KEYWORDS,
  SERVER_OPTIONS,
} from "./keywords.generated.js";
import {
  actionNames,
  hasSecondWord,
  isGlobalKeyword,
  isKnownAction,
  isNegatable,
  isNegatableOption,
  matchProxyKeyword,
  proxyAvailability,
  proxyFirstWords,
  type ProxyType,
  ruleOf,
  secondWords,
  smallSectionKeywords,
} from "./keywords.js";
import { checkable, describe, type LintContext } from "./lint-context.js";
import { optionLayout, walkOptions } from "./options.js";
import { didYouMean, suggest } from "./suggest.js";
import type { ConfigLine, ConfigSection } from "./types.js";

const PROXY_TYPES: ReadonlySet<string> = new Set(["defaults", "frontend", "backend", "listen"]);
const NEGATION_LIST = NEGATABLE_KEYWORDS.map((k) => (k === "option" ? "options" : k)).join(", ");

/**
 * Checks every directive's keyword against what the installed HAProxy accepts in that
 * section type: unknown and removed keywords, keywords refused or ignored there, unknown rule
 * actions, `no`/`default` prefixes, and unknown bind/server options.
 */
export function lintKeywords(ctx: LintContext): void {
  for (const section of ctx.parsed.sections) {
    for (const line of section.directives) {
      const kw = line.keyword!;
      if (!checkable(ctx, line) || kw.startsWith(".") || kw.startsWith("[")) continue;
      if (section.type === "global") checkGlobal(ctx, line);
      else if (PROXY_TYPES.has(section.type)) checkProxy(ctx, section, line);
      else checkSmallSection(ctx, section, line);
      if (section.type !== "global") checkOptions(ctx, section, line);
    }
  }
}

/** Strips `no`/`default`, reporting where HAProxy refuses them; returns the words and offset. */
function stripModifier(ctx: LintContext, line: ConfigLine): { words: string[]; offset: number } | undefined {
  const words = [line.keyword!, ...line.args];
  if ((words[0] !== "no" && words[0] !== "default") || words.length < 2) return { words, offset: 0 };
  const target = words[1]!;
  if (!isNegatable(target)) {
    ctx.report(line, "error", "negation-unsupported", `negation/default currently supported only for ${NEGATION_LIST}.`, line.columns[0]);
    return undefined;
  }
  const option = words[2];
  if (target === "option" && option !== undefined && hasSecondWord("option", option) && !isNegatableOption(option)) {
    ctx.report(line, "error", "negation-unsupported", `negation/default is not supported for option '${option}'.`, line.columns[2]);
    return undefined;
  }
  if (words[0] === "default") {
    // 2.6 shifts the words left without clearing the last one, so most keywords then see
    // their last word twice and refuse it ("cannot handle unexpected argument").
    ctx.report(line, "warning", "default-prefix", `HAProxy 2.6 reads the last word of a 'default' line twice ('${words.slice(1).join(" ")} ${words[words.length - 1]}'), which most keywords refuse; set the value explicitly instead.`, line.columns[0]);
  }
  return { words: words.slice(1), offset: 1 };
}

function checkGlobal(ctx: LintContext, line: ConfigLine): void {
  const stripped = stripModifier(ctx, line);
  if (!stripped) return;
  const kw = stripped.words[0]!;
  const column = line.columns[stripped.offset];
  const removed = REMOVED_GLOBAL_KEYWORDS[kw];
  if (removed !== undefined) ctx.report(line, "error", "removed-keyword", removed, column);
  else if (!isGlobalKeyword(kw)) {
    ctx.report(line, "error", "unknown-keyword", `unknown keyword '${kw}' in 'global' section${didYouMean(kw, GLOBAL_KEYWORDS)}`, column);
  }
}

function checkProxy(ctx: LintContext, section: ConfigSection, line: ConfigLine): void {
  const stripped = stripModifier(ctx, line);
  if (!stripped) return;
  const { words, offset } = stripped;
  const first = words[0]!;
  const match = matchProxyKeyword(words);
  const removed = REMOVED_PROXY_KEYWORDS[match.key] ?? REMOVED_PROXY_KEYWORDS[first];
  if (removed !== undefined) {
    ctx.report(line, "error", "removed-keyword", removed, line.columns[offset]);
    return;
  }
  if (match.unknown) {
    const message = `unknown keyword '${first}' in '${section.type}' section${didYouMean(first, proxyFirstWords)}`;
    ctx.report(line, "error", "unknown-keyword", message, line.columns[offset]);
    return;
  }
  if (match.unknownSecond) {
    const second = words[1];
    const column = line.columns[offset + 1] ?? line.columns[offset];
    const choices = secondWords(first);
    const guess = second === undefined ? undefined : suggest(second, choices);
    const hint = guess === undefined ? "" : first === "option" ? `; did you mean '${guess}' maybe ?` : `; did you mean '${first} ${guess}' maybe ?`;
    const message =
      second === undefined
        ? `'${first}' expects ${choices.length > 12 ? "a name" : `one of ${choices.map((c) => `'${c}'`).join(", ")}`}.`
        : first === "option"
          ? `unknown option '${second}'${hint}`
          : `unknown keyword '${first} ${second}' in '${section.type}' section${hint}`;
    ctx.report(line, "error", "unknown-keyword", message, column);
    return;
  }
  const where = proxyAvailability(match.key, section.type as ProxyType, section.name !== undefined);
  if (where !== "y") reportAvailability(ctx, section, line, match.key, where, line.columns[offset]);
  if (where === "e") return;

  const rule = ruleOf(words);
  if (rule && !isKnownAction(rule.rule, rule.action)) {
    const bare = rule.action.replace(/\(.*$/, "");
    const message = `unknown action '${rule.action}' for '${rule.rule}'${didYouMean(bare, actionNames(rule.rule))}`;
    ctx.report(line, "error", "unknown-action", message, line.columns[offset + rule.index]);
  }
}

function reportAvailability(ctx: LintContext, section: ConfigSection, line: ConfigLine, key: string, where: "w" | "e", column: number | undefined): void {
  let message: string;
  if (section.type === "defaults") {
    message =
      proxyAvailability(key, "defaults", true) === "y"
        ? `'${key}' not allowed in anonymous 'defaults' section: name the section ('defaults <name>') to use it there.`
        : `'${key}' not allowed in 'defaults' section.`;
  } else {
    const missing = section.type === "frontend" ? "backend" : "frontend";
    const verb = where === "e" ? "not allowed" : "ignored";
    message = `'${key}' ${verb} because ${describe(section)} has no ${missing} capability.`;
  }
  ctx.report(line, where === "e" ? "error" : "warning", where === "e" ? "keyword-not-allowed" : "keyword-ignored", message, column);
}

function checkSmallSection(ctx: LintContext, section: ConfigSection, line: ConfigLine): void {
  const known = smallSectionKeywords(section.type);
  const kw = line.keyword!;
  if (!known || known.has(kw)) return;
  ctx.report(line, "error", "unknown-keyword", `unknown keyword '${kw}' in '${section.type}' section${didYouMean(kw, known)}`, line.columns[0]);
}

// Option names per table, for suggestions.
const BIND_NAMES = Object.keys(BIND_OPTIONS);
const SERVER_NAMES = Object.keys(SERVER_OPTIONS);

/** Unknown bind/server options, reported only where every option before them was understood. */
function checkOptions(ctx: LintContext, section: ConfigSection, line: ConfigLine): void {
  const layout = optionLayout(line);
  if (!layout || !PROXY_TYPES.has(section.type)) return;
  const walk = walkOptions(line);
  if (!walk.unknown) return;
  const { name, index } = walk.unknown;
  const names = layout.kind === "bind" ? BIND_NAMES : SERVER_NAMES;
  const subject =
    line.keyword === "bind"
      ? `'bind ${line.args[0] ?? ""}'`
      : line.keyword === "server"
        ? `'server ${section.name ?? ""}/${line.args[0] ?? ""}'`
        : `'${line.keyword}'`;
  ctx.report(line, "error", "unknown-option", `${subject} : unknown keyword '${name}'${didYouMean(name, names)}`, line.columns[index + 1]);
}
