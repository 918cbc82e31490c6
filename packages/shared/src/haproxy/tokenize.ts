/** The words of one line as HAProxy 2.6 cuts them, or where it stopped understanding the line. */
export interface TokenizedLine {
  words: string[];
  /** 1-based start column of each word in the line. */
  columns: number[];
  /** Text after an unquoted `#`. */
  comment?: string;
  /** The first problem HAProxy would report; it then ignores the whole line. */
  error?: { code: string; column: number; message: string };
  /** The line is a `[scope]` marker, which HAProxy reads outside the word parser. */
  scope?: boolean;
}

/** HAProxy reads at most this many words per line (MAX_LINE_ARGS). */
export const MAX_WORDS = 64;

const HEX = /^[0-9a-fA-F]$/;
const PSEUDO_VARIABLES = new Set([".LINE", ".FILE", ".SECTION"]);

// C's isspace() without LF, which never appears inside a line.
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\r";
}

const fail = (code: string, column: number, message: string) => ({ code, column, message });

/**
 * Splits a line into words following readcfgfile() and parse_line() of HAProxy 2.6: leading
 * white space is skipped, CR or NUL ends the statement, `#` starts a comment outside quotes,
 * double quotes keep `$` variables (left unexpanded here), single quotes keep everything, and
 * backslash escapes apply outside single quotes.
 */
export function tokenizeLine(raw: string): TokenizedLine {
  const words: string[] = [];
  const columns: number[] = [];
  const n = raw.length;
  let i = 0;
  while (i < n && isSpace(raw[i]!)) i++;
  if (raw[i] === "[") return { words: [raw.slice(i).trimEnd()], columns: [i + 1], scope: true };

  let word = "";
  let started = false;
  let quote: '"' | "'" | undefined;
  let quoteAt = 0;
  const begin = () => {
    if (!started) {
      started = true;
      columns.push(i + 1);
    }
  };

  while (i < n) {
    let code = raw.charCodeAt(i);
    if (code >= 45 && code !== 92) {
      // Like parse_line()'s fast path: letters, digits, '-', '.', '/', ':' ... copy as a run.
      begin();
      const from = i;
      do code = raw.charCodeAt(++i);
      while (i < n && code >= 45 && code !== 92);
      word += raw.slice(from, i);
      continue;
    }
    const c = raw[i]!;
    if (c === "\0" || c === "\r") break;
    if (c === "#" && !quote) {
      return finish(raw.slice(i + 1));
    }
    if ((c === '"' && quote !== "'") || (c === "'" && quote !== '"')) {
      begin();
      if (quote) quote = undefined;
      else {
        quote = c;
        quoteAt = i;
      }
      i++;
      continue;
    }
    if (c === "\\" && quote !== "'") {
      begin();
      const next = raw[i + 1];
      if (next === " " || next === "\\" || next === "#" || next === "'" || next === '"') {
        word += next;
        i += 2;
      } else if (next === "t" || next === "n" || next === "r") {
        word += next === "t" ? "\t" : next === "n" ? "\n" : "\r";
        i += 2;
      } else if (next === "$" && quote === '"') {
        word += "$";
        i += 2;
      } else if (next === "x") {
        const h1 = raw[i + 2] ?? "";
        const h2 = raw[i + 3] ?? "";
        if (!HEX.test(h1) || !HEX.test(h2)) {
          const error = fail("syntax-escape", i + 1, `truncated or invalid hexadecimal sequence at position ${i + 1}`);
          return { words: done(), columns, error };
        }
        word += String.fromCharCode(parseInt(h1 + h2, 16));
        i += 4;
      } else {
        word += "\\"; // other combinations are not escapes: HAProxy keeps the backslash
        i++;
      }
      continue;
    }
    if (isSpace(c) && !quote) {
      // The separator swallows CRs too: only a CR met where a word could go ends the line.
      while (i < n && isSpace(raw[i]!)) i++;
      words.push(word);
      word = "";
      started = false;
      continue;
    }
    if (c === "$" && quote === '"') {
      begin();
      const end = scanVariable(raw, i);
      if (typeof end !== "number") return { words: done(), columns, error: end };
      word += raw.slice(i, end);
      i = end;
      continue;
    }
    begin();
    word += c;
    i++;
  }
  return finish(undefined);

  function done(): string[] {
    // A trailing empty word (spaces or "" at the end) is not counted, as in parse_line().
    if (started && word !== "") words.push(word);
    else if (started) columns.pop();
    return words;
  }
  function finish(comment: string | undefined): TokenizedLine {
    done();
    const out: TokenizedLine = { words, columns };
    if (comment !== undefined) out.comment = comment;
    if (quote) {
      out.error = fail("syntax-quote", quoteAt + 1, `unmatched quote at position ${quoteAt + 1}`);
    } else if (words.length > MAX_WORDS) {
      const col = columns[MAX_WORDS - 1]!;
      out.error = fail("syntax-too-many-words", col, `too many words, truncating after word ${MAX_WORDS}, position ${col}`);
    }
    return out;
  }
}

/** Checks a `$NAME` / `${NAME}` / `${NAME-default}` / `${NAME[*]}` reference; returns its end. */
function scanVariable(raw: string, dollar: number): number | { code: string; column: number; message: string } {
  let i = dollar + 1;
  let brace = -1;
  if (raw[i] === "{") brace = i++;
  const start = i;
  if (!/[A-Za-z_.]/.test(raw[i] ?? "")) {
    return fail("syntax-variable", i + 1, `forbidden first char in environment variable name at position ${i + 1}`);
  }
  if (raw[i] === ".") i++;
  while (/[A-Za-z0-9_]/.test(raw[i] ?? "")) i++;
  const name = raw.slice(start, i);
  if (name.startsWith(".") && !PSEUDO_VARIABLES.has(name)) {
    return fail("syntax-variable", start + 1, `forbidden first char in environment variable name at position ${start + 1}`);
  }
  if (raw[i] === "[" && brace >= 0) {
    if (raw[i + 1] !== "*" || raw[i + 2] !== "]") {
      return fail("syntax-variable", i + 1, `truncated or invalid word expansion sequence at position ${i + 1}`);
    }
    i += 3;
  }
  if (brace < 0) return i;
  if (raw[i] === "-") {
    const close = raw.indexOf("}", i);
    // The default value runs to the brace across quotes and spaces; NUL ends HAProxy's line.
    if (close < 0 || raw.slice(i, close).includes("\0")) {
      return fail("syntax-variable", brace + 1, `unmatched brace in environment variable name at position ${brace + 1}`);
    }
    return close + 1;
  }
  if (raw[i] !== "}") {
    return fail("syntax-variable", brace + 1, `unmatched brace in environment variable name at position ${brace + 1}`);
  }
  return i + 1;
}
