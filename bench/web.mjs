// npm run bench:web — the web console's production bundle (gzip and brotli sizes of what the first
// page load needs against what loads on demand) and the time until the dashboard is interactive,
// in Debian's Chromium against a real local master. Fails when the initial bundle is over 300 KB
// gzip or CodeMirror (the config editor) is part of it. Writes its figures into docs/web-console.md.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { freePort, machine, MASTER_BIN, ms, percentile, ROOT, startProcess } from "./lib.mjs";

const DIST = join(ROOT, "packages/web/dist");
const ASSETS = join(DIST, "assets");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 8);
const CPU_SLOWDOWN = Number(process.env.BENCH_CPU_SLOWDOWN ?? 4);
const INITIAL_LIMIT_KB = 300;
const PASSWORD = "bench admin password";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const kb = (bytes) => (bytes / 1024).toFixed(1);

// ---------------------------------------------------------------------------------------------
// Bundle sizes

function compressed(file) {
  const data = readFileSync(file);
  // The build writes .gz (level 9) and .br (quality 11) beside each file; the master sends those.
  const gz = existsSync(`${file}.gz`) ? readFileSync(`${file}.gz`) : gzipSync(data, { level: 9 });
  const br = existsSync(`${file}.br`) ? readFileSync(`${file}.br`) : brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  return { raw: data.length, gzip: gz.length, brotli: br.length };
}

/** The chunks a module pulls in with static imports (not `import()`), transitively. */
function staticClosure(entry) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const code = readFileSync(join(ASSETS, name), "utf8");
    for (const m of code.matchAll(/\bimport\s*(?!\()(?:[^"'`;()]*?\bfrom\s*)?["']\.\/([\w.-]+\.js)["']/g)) visit(m[1]);
  };
  visit(entry);
  return seen;
}

function bundle() {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("packages/web/dist is missing: npm run build -w @ha-master/web");
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error("no entry script in index.html");
  const preloaded = [...html.matchAll(/rel="modulepreload"[^>]*href="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  const css = [...html.matchAll(/rel="stylesheet"[^>]*href="\/assets\/([^"]+\.css)"/g)].map((m) => m[1]);
  const initialJs = staticClosure(entry);
  for (const p of preloaded) initialJs.add(p);
  const allJs = readdirSync(ASSETS).filter((f) => f.endsWith(".js"));
  const lazyJs = allJs.filter((f) => !initialJs.has(f));

  const sum = (files) =>
    files.reduce((acc, f) => {
      const s = compressed(join(ASSETS, f));
      return { raw: acc.raw + s.raw, gzip: acc.gzip + s.gzip, brotli: acc.brotli + s.brotli };
    }, { raw: 0, gzip: 0, brotli: 0 });
  const htmlSize = compressed(join(DIST, "index.html"));
  const initial = sum([...initialJs, ...css]);
  initial.raw += htmlSize.raw;
  initial.gzip += htmlSize.gzip;
  initial.brotli += htmlSize.brotli;

  // CodeMirror must load only with the editor and diff pages: find the chunks carrying it.
  const isCodeMirror = (f) => readFileSync(join(ASSETS, f), "utf8").includes("cm-content");
  const editorChunks = allJs.filter(isCodeMirror);
  const editorInInitial = [...initialJs].filter(isCodeMirror);
  const largestLazy = lazyJs.map((f) => ({ f, ...compressed(join(ASSETS, f)) })).sort((a, b) => b.gzip - a.gzip).slice(0, 4);
  return { initial, initialFiles: [...initialJs, ...css].length + 1, lazy: sum(lazyJs), lazyFiles: lazyJs.length, editor: sum(editorChunks), editorChunks, editorInInitial, largestLazy };
}

// ---------------------------------------------------------------------------------------------
// Time to interactive

/**
 * In the page from its first script on: when the dashboard has its data (data-testid
 * "dashboard-ready") and every long task (> 50 ms) of the main thread.
 */
const PROBE = () => {
  window.__bench = { ready: undefined, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push([e.startTime, e.startTime + e.duration]);
  }).observe({ type: "longtask", buffered: true });
  const check = () => {
    if (window.__bench.ready === undefined && document.querySelector('[data-testid="dashboard-ready"]')) window.__bench.ready = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-testid"] });
};

async function loadDashboard(page, url, cpuSlowdown) {
  if (cpuSlowdown > 1) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
  }
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__bench?.ready !== undefined, undefined, { timeout: 60_000, polling: 50 });
  // Long tasks still running when the data arrived count; give them time to be reported.
  await page.waitForTimeout(600);
  return page.evaluate(() => {
    const { ready, longTasks } = window.__bench;
    const lastLongTask = Math.max(0, ...longTasks.filter(([start]) => start < ready + 500).map(([, end]) => end));
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
    const resources = performance.getEntriesByType("resource");
    const nav = performance.getEntriesByType("navigation")[0];
    const transferred = (filter) => resources.filter(filter).reduce((n, r) => n + r.transferSize, 0);
    return {
      ready,
      interactive: Math.max(ready, lastLongTask),
      fcp,
      longTasks: longTasks.length,
      staticBytes: (nav?.transferSize ?? 0) + transferred((r) => /\/assets\//.test(r.name)),
      apiBytes: transferred((r) => /\/(api|auth)\//.test(r.name)),
    };
  });
}

async function seed(url) {
  const login = await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: PASSWORD }) });
  const { accessToken } = await login.json();
  const api = async (path, body) => {
    const res = await fetch(url + path, { method: "POST", headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  };
  // A small fleet's worth of clusters, each with a config version.
  for (let i = 1; i <= 8; i++) {
    const name = `site-${i}`;
    await api("/api/v1/clusters", { name, description: `Bench cluster ${i}` });
    const content = `global\n    maxconn ${1000 + i}\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend www\n    bind 127.0.0.1:${20000 + i}\n    default_backend app\n\nbackend app\n    server app1 127.0.0.1:${21000 + i} check\n`;
    await api(`/api/v1/clusters/${name}/configs`, { content, message: "first version", baseVersion: 0 });
  }
}

async function timeToInteractive() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  const dataDir = mkdtempSync(join(tmpdir(), "bench-web-"));
  const httpPort = await freePort();
  const master = await startProcess(
    [MASTER_BIN],
    { HTTP_PORT: String(httpPort), HTTP_HOST: "127.0.0.1", GRPC_PORT: String(await freePort()), GRPC_HOST: "127.0.0.1", HAMASTER_DATA_DIR: dataDir, HAMASTER_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: "warn" },
    async () => (await fetch(`http://127.0.0.1:${httpPort}/ready`)).status === 200,
  );
  const url = `http://127.0.0.1:${httpPort}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    await seed(url);
    const newSession = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(PROBE);
      // Log in the way the console does: the refresh token lands in the HttpOnly cookie.
      const res = await context.request.post(`${url}/auth/login`, { data: { username: "admin", password: PASSWORD, session: "cookie" } });
      if (!res.ok()) throw new Error(`login: HTTP ${res.status()}`);
      return context;
    };
    const measure = async (runs, kind, cpuSlowdown = 1) => {
      const out = [];
      let warm;
      for (let i = 0; i < runs + 1; i++) {
        // cold: a fresh profile every time (empty cache); warm: one profile, reloaded (cached assets).
        const context = kind === "warm" ? (warm ??= await newSession()) : await newSession();
        const page = context.pages()[0] ?? (await context.newPage());
        const result = await loadDashboard(page, `${url}/`, cpuSlowdown);
        if (i > 0) out.push(result); // the first load warms the master and the browser process
        if (kind !== "warm") await context.close();
      }
      await warm?.close();
      return out;
    };
    return {
      cold: await measure(RUNS, "cold"),
      warm: await measure(RUNS, "warm"),
      slow: await measure(SLOW_RUNS, "cold", CPU_SLOWDOWN),
      chromium: browser.version(),
    };
  } finally {
    await browser.close();
    await master.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const b = bundle();
const t = await timeToInteractive();
const row = (label, runs) => {
  const p = (key, q) => percentile(runs.map((r) => r[key]), q);
  return `| ${label} | ${ms(p("fcp", 50))} | ${ms(p("ready", 50))} | ${ms(p("interactive", 50))} | ${ms(p("interactive", 90))} | ${kb(p("staticBytes", 50))} KB | ${kb(p("apiBytes", 50))} KB |`;
};
const ok = b.initial.gzip <= INITIAL_LIMIT_KB * 1024 && b.editorInInitial.length === 0;
const markdown = `### Web console (\`npm run bench:web\`)

Production build of \`packages/web\`; sizes as the master sends them (the build writes \`.gz\` at
level 9 and \`.br\` at quality 11 beside each file). *Initial* is what the first load of any page
needs: \`index.html\`, the entry chunk with everything it imports statically, and the CSS.

| | files | raw | gzip | brotli |
|---|---:|---:|---:|---:|
| initial (limit ${INITIAL_LIMIT_KB} KB gzip) | ${b.initialFiles} | ${kb(b.initial.raw)} KB | **${kb(b.initial.gzip)} KB** | ${kb(b.initial.brotli)} KB |
| loaded on demand (other pages) | ${b.lazyFiles} | ${kb(b.lazy.raw)} KB | ${kb(b.lazy.gzip)} KB | ${kb(b.lazy.brotli)} KB |
| of which CodeMirror (editor, diff) | ${b.editorChunks.length} | ${kb(b.editor.raw)} KB | ${kb(b.editor.gzip)} KB | ${kb(b.editor.brotli)} KB |

CodeMirror in the initial bundle: ${b.editorInInitial.length === 0 ? "no" : `**yes** (${b.editorInInitial.join(", ")})`}.
Largest lazy chunks (gzip): ${b.largestLazy.map((c) => `${c.f.replace(/-[\w-]{8}\.js$/, "")} ${kb(c.gzip)} KB`).join(", ")}.

Dashboard load in Chromium ${t.chromium} (headless, 1280×800) from a master on the same machine
(8 clusters, embedded database), signed in (the refresh cookie is set; the page trades it for an
access token, then loads clusters, nodes, deployments and certificates). *Ready*: the dashboard
shows its data; *interactive*: ready and the main thread's last long task (> 50 ms) of the load
is over. Milliseconds from navigation start; median of ${RUNS} (${SLOW_RUNS} with the CPU slowed down).

| load | first paint | ready | interactive p50 | interactive p90 | static transferred | API transferred |
|---|---:|---:|---:|---:|---:|---:|
${row("cold (empty cache)", t.cold)}
${row("warm (reload, cached)", t.warm)}
${row(`cold, CPU ${CPU_SLOWDOWN}× slower`, t.slow)}

Machine: ${machine()}.`;

console.log(markdown);
const doc = join(ROOT, "docs/web-console.md");
if (existsSync(doc)) {
  const text = readFileSync(doc, "utf8");
  const begin = "<!-- bench:web -->";
  const end = "<!-- /bench:web -->";
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) writeFileSync(doc, `${text.slice(0, i)}${begin}\n${markdown}\n${text.slice(j)}`);
}
if (!ok) {
  console.error(`bench:web: the initial bundle is ${kb(b.initial.gzip)} KB gzip (limit ${INITIAL_LIMIT_KB} KB)${b.editorInInitial.length ? " and carries CodeMirror" : ""}`);
  process.exit(1);
}
