// Shared helpers of the benchmarks: percentiles, processes, free ports, docs/benchmarks.md sections.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const MASTER_BIN = `${ROOT}packages/master/dist/main.js`;

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : "–");

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process; resolves once `ready()` returns true. */
export async function startProcess(args, env, ready, timeoutMs = 60_000) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  // A benchmark that fails half-way must not leave its master running.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`process exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`not ready in ${timeoutMs} ms: ${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** The environment of a benchmark's master: loopback ports, its own data directory, quiet logs. */
export function masterEnv({ dataDir, httpPort, grpcPort, adminPassword }) {
  return {
    HAMASTER_DATA_DIR: dataDir,
    HTTP_PORT: String(httpPort),
    HTTP_HOST: "127.0.0.1",
    GRPC_PORT: String(grpcPort),
    GRPC_HOST: "127.0.0.1",
    GRPC_PUBLIC_HOSTNAMES: "127.0.0.1,localhost",
    HAMASTER_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: "warn",
  };
}

/** Replaces (or appends) the section between `<!-- name -->` and `<!-- /name -->` in docs/benchmarks.md. */
export function writeSection(name, markdown) {
  const path = `${ROOT}docs/benchmarks.md`;
  const begin = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  let text = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n\nMeasured on this project's machines (2 shared, noisy cores): medians and ratios from one run.\n";
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, text);
}

export function machine() {
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  return `${cpu}, Node ${process.version}, load average before the run ${load}`;
}
