#!/usr/bin/env node
// Regenerates packages/shared/src/haproxy/keywords.generated.ts from the installed HAProxy.
//
//   node scripts/gen-haproxy-keywords.mjs [--haproxy /usr/sbin/haproxy]
//                                         [--doc /usr/share/doc/haproxy/configuration.txt.gz]
//
// Why three sources: `haproxy -dKall` lists only *registered* keywords. Many core ones (mode,
// balance, server, maxconn, daemon, option httpchk ...) are hard-coded in the parser and never
// appear there. The configuration manual shipped with the same package names those (the proxy
// keyword matrix, the global keyword list, each small section's keywords). Neither source says
// exactly what the binary accepts where, so every candidate is finally probed with
// `haproxy -c` on a two-line config: the binary's own answer decides whether a keyword exists
// and whether a section type accepts it, ignores it with a warning, or refuses it.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const HAPROXY = opt("--haproxy", "/usr/sbin/haproxy");
const DOC = opt("--doc", "/usr/share/doc/haproxy/configuration.txt.gz");
const OUT = fileURLToPath(
  new URL("../packages/shared/src/haproxy/keywords.generated.ts", import.meta.url),
);

function run(file, argv) {
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: 10_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && err.code === "ENOENT") reject(new Error(`${file} not found`));
      else resolve(stdout + stderr);
    });
  });
}

// ---------------------------------------------------------------- haproxy -dKall
function parseDump(text) {
  const blocks = {};
  let cur;
  for (const line of text.split("\n")) {
    const m = /^# List of registered (.+?):$/.exec(line);
    if (m) blocks[(cur = m[1])] = [];
    else if (cur && line !== "" && !line.startsWith("#")) blocks[cur].push(line);
  }
  const cfg = { sections: {}, bind: {}, server: {}, options: {}, actions: {} };
  let section;
  for (const line of blocks["configuration keywords"] ?? []) {
    if (!line.startsWith("\t")) {
      cfg.sections[(section = line.trim())] ??= [];
      continue;
    }
    const entry = line.trim();
    let m;
    if ((m = /^bind <addr> (?:ssl )?(\S+)(?: \+(-?\d+))?$/.exec(entry))) {
      cfg.bind[m[1]] = Number(m[2] ?? 0);
    } else if ((m = /^server <name> <addr> (\S+)(?: \+(-?\d+))?$/.exec(entry))) {
      cfg.server[m[1]] = Number(m[2] ?? 0);
    } else if ((m = /^option (\S+) \[ (.*) \]$/.exec(entry))) {
      cfg.options[m[1]] = m[2].split(" ");
    } else if ((m = /^((?:tcp|http)-(?:request|response)(?: (?:connection|session|content))?|http-after-response) (\S+)$/.exec(entry))) {
      (cfg.actions[m[1]] ??= []).push(m[2]);
    } else if (section && section !== "crt-list") {
      cfg.sections[section].push(entry.split(" ")[0]);
    }
  }
  const names = (lines, re) => [...new Set(lines.map((l) => re.exec(l)?.[1]).filter(Boolean))];
  return {
    cfg,
    acl: names(blocks["ACL keywords"] ?? [], /^(\S+) = /),
    fetches: names(blocks["sample fetch functions"] ?? [], /^\[[ Y.]+\] ([^(:\s]+)/),
    converters: names(blocks["sample converter functions"] ?? [], /^([^(:\s]+)/),
  };
}

// ---------------------------------------------------------------- configuration.txt
function docRange(doc, startRe, endRe) {
  const lines = doc.split("\n");
  // The table of contents repeats every title: the body is the last occurrence.
  let start = -1;
  lines.forEach((l, i) => startRe.test(l) && (start = i));
  if (start < 0) throw new Error(`section ${startRe} not found in ${DOC}`);
  const end = lines.findIndex((l, i) => i > start && endRe.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Keyword definitions start at column 0 and are followed by an indented description. */
function definedWords(lines) {
  const out = new Set();
  lines.forEach((l, i) => {
    const m = /^([a-z][a-z0-9_.-]*)(?:\s|$)/.exec(l);
    // Prose also starts at column 0; probing drops whatever is not a keyword.
    if (m && (/^ {2}\S/.test(lines[i + 1] ?? "") || /[<[]/.test(l))) out.add(m[1]);
  });
  return out;
}

function parseMatrix(doc) {
  const entries = [];
  for (const l of docRange(doc, /^4\.1\. Proxy keywords matrix/, /^4\.2\./)) {
    const m = /^([a-z][\w.-]*(?: [a-z][\w.-]*)*)\s+(?:\(\*\)|\(deprecated\))?\s*[X-]/.exec(l);
    if (m && !l.startsWith(" keyword")) entries.push(m[1]);
  }
  return entries;
}

// ---------------------------------------------------------------- probing
const PROXY_VARIANTS = ["defaults", "defaults probe", "frontend probe", "listen probe", "backend probe"];
let probeDir;
let probeSeq = 0;

async function probe(header, line) {
  const file = join(probeDir, `p${probeSeq++}.cfg`);
  await writeFile(file, `${header}\n  ${line}\n`);
  const out = await run(HAPROXY, ["-c", "-f", file]);
  await rm(file);
  // Only what HAProxy said about the probed line; strip prefixes and suggestions.
  return out
    .split("\n")
    .filter((l) => l.includes(":2]"))
    .map((l) => l.replace(/^\[(\w+)\]\s+\(\d+\) : config : /, "$1 ").replace(/; did you mean .*$/, ""))
    .join("\n");
}

async function pool(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, cpus().length * 2) }, worker));
  return results;
}

const unknownFirst = (msg, word) =>
  msg.includes(`unknown keyword '${word}'`) || msg.includes(`unknown statement '${word}'`);
const REMOVED = /not supported any ?more/;

/** "y" accepted, "w" accepted but ignored with a warning, "e" refused. */
function availability(msg) {
  if (/^ALERT .*(not allowed|not supported in|(only|not) available in|only allowed in)/m.test(msg)) return "e";
  if (/^WARNING .*(ignored because|is ignored in|will be ignored)/m.test(msg)) return "w";
  return "y";
}
const SEVERITY = { y: 0, w: 1, e: 2 };

const LISTEN = PROXY_VARIANTS.indexOf("listen probe");

async function probeProxyKeywords(candidates) {
  // A second word is unknown when HAProxy answers exactly as it does for a made-up one. A
  // listen section accepts every known keyword, so that is where the comparison is made.
  const heads = new Set(candidates.filter((c) => c.includes(" ")).map((c) => c.split(" ")[0]));
  const bogus = {};
  for (const h of heads) bogus[h] = (await probe("listen probe", `${h} bogus-zz`)).replaceAll("bogus-zz", "<W>");
  const table = {};
  const removed = {};
  // Some keywords check their arguments before the section's capabilities, so each one is
  // probed bare and with plausible arguments, and the stricter answer wins.
  const rows = await pool(candidates, async (kw) => {
    const bare = [];
    const withArgs = [];
    for (const v of PROXY_VARIANTS) {
      bare.push(await probe(v, kw));
      withArgs.push(await probe(v, `${kw} ${PROBE_ARGS[kw] ?? "1"}`));
    }
    return { bare, withArgs };
  });
  candidates.forEach((kw, i) => {
    const { bare, withArgs } = rows[i];
    const [first, second] = kw.split(" ");
    const unknown =
      unknownFirst(bare[LISTEN], first) ||
      (second !== undefined && bare[LISTEN].replaceAll(second, "<W>") === bogus[first]);
    if (unknown) return void dropped.push(kw);
    const gone = bare.find((m) => REMOVED.test(m));
    if (gone) removed[kw] = gone.replace(/^ALERT parsing \[[^\]]+\]\s*:\s*/, "").trim();
    else {
      table[kw] = bare
        .map((m, j) => [availability(m), availability(withArgs[j])])
        .map(([a, b]) => (SEVERITY[a] >= SEVERITY[b] ? a : b))
        .join("");
    }
  });
  return { table, removed };
}

// Arguments that get a keyword past its own syntax checks to the capability checks.
const PROBE_ARGS = {
  acl: "a path /", bind: ":1", dispatch: "127.0.0.1:1", description: "x", id: "7",
  "capture cookie": "c len 10", "capture request": "header Host len 10",
  "capture response": "header Host len 10", "declare capture": "request len 10",
  "default_backend": "b", use_backend: "b", "use-server": "s if TRUE",
  "force-persist": "if TRUE", "ignore-persist": "if TRUE", "monitor fail": "if TRUE",
  redirect: "location / if TRUE", server: "s 127.0.0.1:1", "server-template": "s 1 127.0.0.1:1",
  "default-server": "check", "stick-table": "type ip size 1k", "stick on": "src",
  "stick match": "src", "stick store-request": "src", "stick store-response": "src",
  "http-request": "deny", "http-response": "deny", "http-after-response": "allow",
  "tcp-request connection": "accept", "tcp-request session": "accept",
  "tcp-request content": "accept", "tcp-response content": "accept",
  "log-format": "x", "log-format-sd": "x", "error-log-format": "x", "unique-id-format": "x",
  "unique-id-header": "X-Id", "retry-on": "all-retryable-errors", "filter": "compression",
  "stats admin": "if TRUE", "stats http-request": "deny", "errorfile": "503 /dev/null",
  "errorloc": "503 /", "errorloc302": "503 /", "errorloc303": "503 /", "http-error": "status 503",
  "use-fcgi-app": "f", "hash-type": "consistent", balance: "roundrobin", mode: "http",
  "monitor-uri": "/m", "email-alert mailers": "m", "email-alert from": "a@b",
  "email-alert to": "a@b", "email-alert level": "alert", "email-alert myhostname": "h",
};

/** Candidates the binary did not know, printed so a regeneration can be reviewed. */
const dropped = [];

async function probeWords(header, words) {
  const msgs = await pool(words, (w) => probe(header, w));
  const known = [];
  const removed = {};
  words.forEach((w, i) => {
    if (unknownFirst(msgs[i], w)) return void dropped.push(`${header}: ${w}`);
    if (REMOVED.test(msgs[i])) removed[w] = msgs[i].replace(/^ALERT parsing \[[^\]]+\]\s*:\s*/, "").trim();
    else known.push(w);
  });
  return { known: known.sort(), removed };
}

/** Reads the list of valid actions out of HAProxy's own "expects ..." error message. */
async function probeActions(rule, registered) {
  const msg = await probe("listen probe", `${rule} bogus-zz`);
  const listed = [...msg.matchAll(/'([a-z][\w-]*(?:\(\*\))?)'/g)].map((m) => m[1]);
  const out = new Set();
  for (const a of [...listed, ...registered]) {
    if (a === "bogus-zz" || a === "probe" || a === rule.split(" ")[0]) continue;
    out.add(a.replace(/\(\*\)$|\*$/, "*"));
  }
  if (/'track-sc0' \.\.\. 'track-sc2'/.test(msg)) ["track-sc1"].forEach((a) => out.add(a));
  return [...out].sort();
}

// ---------------------------------------------------------------- main
async function main() {
  const version = /HAProxy version (\S+)/.exec(await run(HAPROXY, ["-v"]))?.[1];
  if (!version) throw new Error(`cannot read the version of ${HAPROXY}`);
  const dump = parseDump(await run(HAPROXY, ["-dKall", "-q", "-c", "-f", "/dev/null"]));
  const doc = gunzipSync(await readFile(DOC)).toString("latin1");
  probeDir = await mkdtemp(join(tmpdir(), "gen-haproxy-kw-"));
  try {
    const sectionTypes = [];
    const namedSections = [];
    for (const s of SECTION_CANDIDATES) {
      const named = await run(HAPROXY, ["-c", "-f", await writeTmp(`${s} probe\n`)]);
      if (named.includes(`unknown keyword '${s}' out of section`)) continue;
      sectionTypes.push(s);
      // Without a name, sections that need one fail on their own line.
      const bare = await run(HAPROXY, ["-c", "-f", await writeTmp(`${s}\n`)]);
      if (/^\[ALERT\].*:1\]/m.test(bare)) namedSections.push(s);
    }

    const globalDoc = docRange(doc, /^3\. Global parameters/, /^3\.4\./);
    const globalCandidates = new Set([
      ...globalDoc.map((l) => /^ {3}- ([a-z0-9][\w.-]*)/.exec(l)?.[1]).filter(Boolean),
      ...definedWords(globalDoc),
      ...(dump.cfg.sections.global ?? []),
      ...GLOBAL_EXTRA,
    ]);
    const global = await probeWords("global", [...globalCandidates]);

    const small = {};
    for (const [type, [from, to]] of Object.entries(SMALL_SECTION_DOCS)) {
      if (!sectionTypes.includes(type)) continue;
      const words = new Set([
        ...definedWords(docRange(doc, from, to)),
        ...(dump.cfg.sections[type] ?? []),
        ...(SMALL_EXTRA[type] ?? []),
      ]);
      words.delete(type);
      small[type] = (await probeWords(`${type} probe`, [...words])).known;
    }

    const matrix = parseMatrix(doc);
    const proxyCandidates = new Set(matrix.map((k) => k.split(" ").slice(0, 2).join(" ")));
    for (const k of dump.cfg.sections.listen ?? []) proxyCandidates.add(k);
    for (const o of Object.keys(dump.cfg.options)) proxyCandidates.add(`option ${o}`);
    for (const k of PROXY_EXTRA) proxyCandidates.add(k);
    for (const head of ["timeout", "stats", "http-check", "tcp-check", "tcp-request", "tcp-response"]) {
      const msg = await probe("backend probe", `${head} bogus-zz`);
      const listed = msg.split("\n")[0].replace(/^.*?(expects|supports|only supports)/, "");
      for (const m of listed.matchAll(/'([a-z][\w-]*)(?:\(\*\))?'/g)) {
        if (![head, "bogus-zz", "probe"].includes(m[1])) proxyCandidates.add(`${head} ${m[1]}`);
      }
    }
    const heads = new Set([...proxyCandidates].filter((c) => c.includes(" ")).map((c) => c.split(" ")[0]));
    for (const h of heads) proxyCandidates.delete(h);
    const proxy = await probeProxyKeywords([...proxyCandidates].sort());

    const negMsg = await probe("global", "no maxconn 1");
    const negList = /supported only for (.*)\./.exec(negMsg)?.[1] ?? "";
    const negatable = negList.split(/, | and /).map((w) => (w === "options" ? "option" : w.trim()));
    const options = Object.keys(proxy.table).filter((k) => k.startsWith("option ")).map((k) => k.slice(7));
    const negOptions = [];
    await pool(options, async (o) => {
      const msg = await probe("defaults probe", `no option ${o}`);
      if (!msg.includes("negation/default is not supported")) negOptions.push(o);
    });

    // -dKall leaves a few bind/server keywords out (the bind keyword "ssl" itself, for one):
    // take the manual's definitions too, keep what the binary knows, and read the number of
    // arguments from the definition line (none, or one value).
    for (const [kind, from, to, header, prefix] of [
      ["bind", /^5\.1\. Bind options/, /^5\.2\. /, "frontend probe", "bind :1"],
      ["server", /^5\.2\. Server and default-server options/, /^5\.3\. /, "backend probe", "server s 127.0.0.1:1"],
    ]) {
      const table = dump.cfg[kind];
      const defs = docRange(doc, from, to).filter((l) => /^[a-z][a-z0-9_.-]*( |$)/.test(l));
      for (const def of defs) {
        const [word, ...rest] = def.trim().split(/\s+/);
        if (table[word] !== undefined) continue;
        const msg = await probe(header, `${prefix} ${word}${rest.length ? " x" : ""}`);
        if (/unknown keyword/.test(msg)) continue;
        table[word] = rest.length ? 1 : 0;
      }
    }

    const actions = {};
    for (const rule of ["http-request", "http-response", "http-after-response", "tcp-request connection", "tcp-request session", "tcp-request content", "tcp-response content"]) {
      actions[rule] = await probeActions(rule, dump.cfg.actions[rule] ?? []);
    }

    await writeFile(
      OUT,
      render({
        version, sectionTypes, namedSections, global, small, proxy, negatable,
        negOptions: negOptions.sort(), actions, dump,
      }),
    );
    console.log(`not known to this binary, left out: ${dropped.sort().join(", ")}`);
    console.log(`wrote ${OUT} from HAProxy ${version}`);
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
}

async function writeTmp(text) {
  const file = join(probeDir, `s${probeSeq++}.cfg`);
  await writeFile(file, text);
  return file;
}

// Section keywords of 2.x and 3.x; the binary tells which ones it knows.
const SECTION_CANDIDATES = [
  "global", "defaults", "frontend", "backend", "listen", "userlist", "peers", "mailers",
  "resolvers", "program", "http-errors", "ring", "cache", "log-forward", "fcgi-app",
  "namespace_list", "crt-store", "traces", "acme",
];
// Small sections: where the manual defines their keywords.
const SMALL_SECTION_DOCS = {
  userlist: [/^3\.4\. Userlists/, /^3\.5\./],
  peers: [/^3\.5\. Peers/, /^3\.6\./],
  mailers: [/^3\.6\. Mailers/, /^3\.7\./],
  program: [/^3\.7\. Programs/, /^3\.8\./],
  "http-errors": [/^3\.8\. HTTP-errors/, /^3\.9\./],
  ring: [/^3\.9\. Rings/, /^3\.10\./],
  "log-forward": [/^3\.10\. Log forwarding/, /^4\. Proxies/],
  resolvers: [/^5\.3\.2\. The resolvers section/, /^6\. Cache/],
  cache: [/^6\.2\.1\. Cache section/, /^6\.2\.2\./],
  "fcgi-app": [/^10\.1\.1\. Fcgi-app section/, /^10\.1\.2\./],
};
// Keywords the manual mentions only in prose or examples.
const GLOBAL_EXTRA = ["stats", "nbproc", "tune.chksize", "debug", "lua-load", "expose-experimental-directives"];
const SMALL_EXTRA = {
  peers: ["shards", "enable"],
  resolvers: ["hold", "timeout"],
  ring: ["backing-file"],
};
// Removed keywords whose replacement HAProxy explains; kept so the linter can repeat it.
const PROXY_EXTRA = [
  "reqadd", "reqallow", "reqdel", "reqdeny", "reqiallow", "reqidel", "reqideny", "reqipass",
  "reqirep", "reqitarpit", "reqpass", "reqrep", "reqtarpit", "rspadd", "rspdel", "rspdeny",
  "rspidel", "rspideny", "rspirep", "rsprep", "block", "redisp", "redispatch",
  "option forceclose", "option http-tunnel", "option http_proxy",
];

// ---------------------------------------------------------------- output
function list(words, indent = "  ") {
  const lines = [];
  let cur = indent;
  for (const w of words) {
    const item = `${JSON.stringify(w)}, `;
    if (cur.length + item.length > 100) {
      lines.push(cur.trimEnd());
      cur = indent;
    }
    cur += item;
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return `[\n${lines.join("\n")}\n]`;
}

function record(obj, indent = "  ") {
  const keys = Object.keys(obj).sort();
  const scalar = keys.every((k) => typeof obj[k] !== "object");
  if (scalar) {
    // Short entries share lines to keep the file compact.
    const lines = [];
    let cur = indent;
    for (const k of keys) {
      const item = `${JSON.stringify(k)}: ${JSON.stringify(obj[k])}, `;
      if (cur.length + item.length > 100 && cur.trim()) {
        lines.push(cur.trimEnd());
        cur = indent;
      }
      cur += item;
    }
    if (cur.trim()) lines.push(cur.trimEnd());
    return `{\n${lines.join("\n")}\n}`;
  }
  const body = keys.map((k) => `${indent}${JSON.stringify(k)}: ${list(obj[k], indent + "  ").replace(/\]$/, `${indent}]`)},`);
  return `{\n${body.join("\n")}\n}`;
}

function render(d) {
  return `// Generated by scripts/gen-haproxy-keywords.mjs from HAProxy ${d.version}. Do not edit.
// Regenerate after upgrading HAProxy: node scripts/gen-haproxy-keywords.mjs
// (needs the haproxy binary and its configuration.txt, from the Debian package "haproxy").
// Plain data without imports, so that a browser-side highlighter can use it too.

/** The HAProxy version these tables were read from. */
export const HAPROXY_VERSION = ${JSON.stringify(d.version)};

/** Keywords that start a section. */
export const SECTION_TYPES = ${list(d.sectionTypes)} as const;

/** Section types that refuse to start without a name. */
export const NAMED_SECTION_TYPES: readonly string[] = ${list(d.namedSections)};

/** First words accepted in the global section. */
export const GLOBAL_KEYWORDS: readonly string[] = ${list(d.global.known)};

/** First words accepted in the smaller sections (userlist, peers, resolvers ...). */
export const SECTION_KEYWORDS: Readonly<Record<string, readonly string[]>> = ${record(d.small)};

/**
 * Proxy keywords (one word, or two for heads such as "option", "timeout", "tcp-request")
 * and where HAProxy accepts them. One letter per section kind, in this order: anonymous
 * defaults, named defaults, frontend, listen, backend. "y" accepted, "w" ignored with a
 * warning, "e" refused.
 */
export const PROXY_KEYWORDS: Readonly<Record<string, string>> = ${record(d.proxy.table)};

/** Global keywords HAProxy no longer accepts, with the explanation it prints. */
export const REMOVED_GLOBAL_KEYWORDS: Readonly<Record<string, string>> = ${record(d.global.removed)};

/** Proxy keywords HAProxy no longer accepts, with the explanation it prints. */
export const REMOVED_PROXY_KEYWORDS: Readonly<Record<string, string>> = ${record(d.proxy.removed)};

/** First words that accept the "no" and "default" prefixes. */
export const NEGATABLE_KEYWORDS: readonly string[] = ${list(d.negatable)};

/** Options that accept "no option ...". */
export const NEGATABLE_OPTIONS: readonly string[] = ${list(d.negOptions)};

/** Actions of each rule keyword; a trailing "*" matches any action starting with the rest. */
export const RULE_ACTIONS: Readonly<Record<string, readonly string[]>> = ${record(d.actions)};

/** Bind options with the number of arguments each takes (-1: variable). */
export const BIND_OPTIONS: Readonly<Record<string, number>> = ${record(d.dump.cfg.bind)};

/** Server and default-server options with the number of arguments each takes (-1: variable). */
export const SERVER_OPTIONS: Readonly<Record<string, number>> = ${record(d.dump.cfg.server)};

/** ACL keywords (for highlighting). */
export const ACL_KEYWORDS: readonly string[] = ${list(d.dump.acl.sort())};

/** Sample fetch names (for highlighting). */
export const SAMPLE_FETCHES: readonly string[] = ${list(d.dump.fetches.sort())};

/** Converter names (for highlighting). */
export const CONVERTERS: readonly string[] = ${list(d.dump.converters.sort())};
`;
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
