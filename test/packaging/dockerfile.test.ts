import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, startMaster, type MasterProcess } from "../support/master-process.js";
import { freePort, waitFor, type Proc } from "../support/processes.js";
import { copyParts, last, parseDockerfile, stage, type Dockerfile } from "./support/dockerfile.js";
import { DockerIgnore } from "./support/dockerignore.js";
import { answeringConfig, clusterWithToken, deployConfig, waitForDeployment, waitForNode } from "./support/fleet.js";
import { assemble, spawnOptions, type AssembledImage } from "./support/image.js";
import { ROOT } from "./support/paths.js";

const IMAGES = ["master", "agent", "frontend"] as const;
const dockerfiles = Object.fromEntries(IMAGES.map((n) => [n, parseDockerfile(join(ROOT, `Dockerfile.${n}`))])) as Record<(typeof IMAGES)[number], Dockerfile>;
const ignore = new DockerIgnore(join(ROOT, ".dockerignore"));
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { name?: string; dependencies?: Record<string, string> }> };
const PINNED = /^[a-z0-9][a-z0-9./_-]*:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$/;

/** Every file below `dir` (relative to the repository), as the build context would hold it. */
function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

/**
 * Spawns an assembled image's start command in its own process group (a container's processes,
 * minus HAProxy, which the agent starts in a session of its own); output kept.
 */
function run(image: AssembledImage, env: Record<string, string>): Proc & { pid: number; killAll(): void } {
  const child = spawn(image.command[0]!, image.command.slice(1), { ...spawnOptions(image, env), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    killAll() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the group is gone
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** Pids of a process's children (from /proc: no procps needed). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("Dockerfiles: stages, bases, build context", () => {
  it.each(IMAGES)("Dockerfile.%s: build stages end in a runtime stage on pinned bases, as a numeric non-root user", (name) => {
    const df = dockerfiles[name];
    const names = df.stages.map((s) => s.name);
    expect(names.at(-1)).toBe("runtime");
    expect(names).toContain("build");
    for (const s of df.stages) expect(s.image, `${name}: FROM of ${s.name}`).toMatch(PINNED);
    const user = last(stage(df, "runtime"), "USER")?.args[0];
    expect(user, `${name}: USER`).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user!.split(":")[0])).toBeGreaterThan(0);
    // Every --from names an earlier stage.
    df.stages.forEach((s, i) => {
      for (const ins of s.instructions.filter((x) => x.keyword === "COPY" && x.flags.from)) {
        expect(names.slice(0, i), `${name}:${ins.line}`).toContain(ins.flags.from);
      }
    });
  });

  it("builds all three on the same Node image, the Node these tests and the CI run", () => {
    const nodeImages = IMAGES.map((n) => dockerfiles[n].globalArgs.NODE_IMAGE);
    expect(new Set(nodeImages).size).toBe(1);
    const tag = /^node:(\d+)\.(\d+)\.(\d+)-/.exec(nodeImages[0]!);
    expect(tag, nodeImages[0]).not.toBeNull();
    const [, major, minor] = tag!.map(Number);
    const engines = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node as string;
    const [, eMajor, eMinor] = /(\d+)\.(\d+)/.exec(engines)!.map(Number);
    expect(major! > eMajor! || (major === eMajor && minor! >= eMinor!), `${nodeImages[0]} satisfies engines ${engines}`).toBe(true);
    expect(process.versions.node.split(".")[0]).toBe(String(major));
  });

  it.each(IMAGES)("Dockerfile.%s: every COPY from the build context exists and is not left out by .dockerignore", (name) => {
    const df = dockerfiles[name];
    for (const s of df.stages) {
      for (const ins of s.instructions.filter((x) => x.keyword === "COPY" && !x.flags.from)) {
        for (const src of copyParts(ins).sources) {
          const where = `Dockerfile.${name}:${ins.line} COPY ${src}`;
          expect(existsSync(join(ROOT, src)), where).toBe(true);
          expect(ignore.excludes(src), `${where} is excluded by .dockerignore`).toBe(false);
          if (statSync(join(ROOT, src)).isDirectory()) {
            // The sources the build compiles (git-tracked) all reach it.
            const tracked = execFileSync("git", ["ls-files", src], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
            expect(tracked.length, where).toBeGreaterThan(0);
            expect(tracked.filter((f) => ignore.excludes(f)), where).toEqual([]);
          }
        }
      }
    }
  });

  it(".dockerignore keeps out everything git ignores here: dependencies, build output, local data", () => {
    const ignored = execFileSync("git", ["ls-files", "--others", "--ignored", "--exclude-standard", "--directory"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(ignored.length).toBeGreaterThan(0);
    expect(ignored.filter((p) => !ignore.excludes(p.replace(/\/$/, "")))).toEqual([]);
    for (const p of [".git/config", "node_modules/x/index.js", "packages/master/dist/main.js", "packages/web/node_modules/x", "data/pgdata/PG_VERSION", "packages/master/data/x", ".data-1/x"]) {
      expect(ignore.excludes(p), p).toBe(true);
    }
  });

  it.each(["master", "agent"] as const)("Dockerfile.%s: prod-deps installs exactly the workspaces the runtime stage copies, and they need no others", (name) => {
    const df = dockerfiles[name];
    const install = last(stage(df, "prod-deps"), "RUN")!.rest;
    expect(install).toMatch(/^npm ci --omit=dev /);
    const installed = [...install.matchAll(/-w (@ha-master\/[a-z-]+)/g)].map((m) => m[1]!).sort();
    const copied = stage(df, "runtime")
      .instructions.filter((i) => i.keyword === "COPY" && i.flags.from === "build")
      .map((i) => /^\/app\/packages\/([a-z-]+)\/dist$/.exec(copyParts(i).sources[0]!)?.[1])
      .filter((p): p is string => p !== undefined && p !== "web")
      .map((p) => `@ha-master/${p}`)
      .sort();
    expect(installed).toEqual(copied);
    for (const ws of copied) {
      const dir = `packages/${ws.slice("@ha-master/".length)}`;
      const deps = Object.keys(lock.packages[dir]?.dependencies ?? {}).filter((d) => d.startsWith("@ha-master/"));
      expect(copied, `${ws} depends on ${deps.join(", ")}`).toEqual(expect.arrayContaining(deps));
      // Only /app/node_modules is copied: a dependency npm nested under the workspace would be lost.
      expect(Object.keys(lock.packages).filter((k) => k.startsWith(`${dir}/node_modules/`)), ws).toEqual([]);
    }
  });

  it("Dockerfile.frontend: serves the built console from the root nginx.conf names, rendered from the template path the base image uses", () => {
    const runtime = stage(dockerfiles.frontend, "runtime");
    const copies = runtime.instructions.filter((i) => i.keyword === "COPY").map(copyParts);
    expect(copies).toContainEqual({ sources: ["deploy/frontend/nginx.conf"], dest: "/etc/nginx/templates/default.conf.template" });
    const dist = copies.find((c) => c.from === "build")!;
    expect(dist.sources).toEqual(["/app/packages/web/dist"]);
    expect(readFileSync(join(ROOT, "deploy/frontend/nginx.conf"), "utf8")).toContain(`root ${dist.dest};`);
    expect(last(runtime, "CMD")!.args).toEqual(["nginx", "-g", "daemon off;"]);
  });
});

describe("the master image's start command, run outside a container", () => {
  let image: AssembledImage;
  let proc: ReturnType<typeof run>;
  let url: string;
  let port: number;
  let startedAt: number;

  beforeAll(async () => {
    image = assemble(dockerfiles.master);
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    startedAt = performance.now();
    // Ports and hosts differ from the image's (8080/8443 on every address): a test machine is not
    // a container with its own network.
    proc = run(image, {
      HTTP_PORT: String(port),
      HTTP_HOST: "127.0.0.1",
      GRPC_PORT: String(await freePort()),
      GRPC_HOST: "127.0.0.1",
      GRPC_PUBLIC_HOSTNAMES: "localhost",
      HAMASTER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
  }, 120_000);

  afterAll(async () => {
    await proc?.stop();
  });

  it("answers /health at once and /ready on the embedded database in its volume, as the image's user", async () => {
    const health = await waitFor(() => `/health (output: ${proc.output()})`, async () => {
      if (proc.child.exitCode !== null) throw new Error(`exited: ${proc.output()}`);
      const res = await fetch(`${url}/health`).catch(() => undefined);
      return res?.ok ? performance.now() - startedAt : undefined;
    }, 10_000);
    const ready = await waitFor("/ready", async () => ((await fetch(`${url}/ready`).catch(() => undefined))?.ok ? performance.now() - startedAt : undefined), 30_000);
    console.log(`[packaging] master image command: /health after ${Math.round(health)} ms, /ready after ${Math.round(ready)} ms (embedded database)`);
    expect(health).toBeLessThan(2_000);
    const dataDir = image.env.HAMASTER_DATA_DIR!;
    expect(dataDir.startsWith(image.root)).toBe(true);
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
    if (process.getuid?.() === 0) expect(statSync(dataDir).uid).toBe(image.user!.uid);
  });

  it("serves the console it was built with, logs in (native argon2 from the production dependencies) and checks configs with its HAProxy", async () => {
    const index = await fetch(`${url}/clusters/edge`);
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(readFileSync(join(ROOT, "packages/web/dist/index.html"), "utf8"));
    expect(proc.output()).not.toMatch(/web console not built/);

    const login = await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, "content-type": "application/json" };
    const cluster = await fetch(`${url}/api/v1/clusters`, { method: "POST", headers: auth, body: JSON.stringify({ name: "image-check" }) });
    expect(cluster.status).toBe(201);
    const checked = await fetch(`${url}/api/v1/clusters/image-check/configs/validate`, { method: "POST", headers: auth, body: JSON.stringify({ content: answeringConfig(8080) }) });
    const validation = (await checked.json()) as { valid: boolean; haproxy: { checked: boolean; version: string | null } };
    expect(validation.valid).toBe(true);
    expect(validation.haproxy.checked).toBe(true);
    expect(validation.haproxy.version).toMatch(/^\d+\.\d+/);
  });

  it("its HEALTHCHECK passes while it runs and fails once it stopped; SIGTERM stops it cleanly", async () => {
    const hc = last(stage(dockerfiles.master, "runtime"), "HEALTHCHECK")!;
    expect(hc.args[0]).toBe("CMD");
    const [cmd, ...args] = JSON.parse(hc.rest.slice(hc.rest.indexOf("["))) as string[];
    const healthcheck = () =>
      new Promise<number | null>((resolve) => {
        const c = spawn(cmd === "node" ? process.execPath : cmd!, args, { ...spawnOptions(image, { HTTP_PORT: String(port) }), stdio: "ignore" });
        c.once("exit", resolve);
      });
    expect(await healthcheck()).toBe(0);
    expect(await proc.stop("SIGTERM")).toBe(0);
    expect(await healthcheck()).toBe(1);
  });
});

describe("the agent image's start command, run outside a container, with a real master and HAProxy", () => {
  let image: AssembledImage;
  let master: MasterProcess;
  let token: string;
  const procs: ReturnType<typeof run>[] = [];
  let stateDir: string;

  beforeAll(async () => {
    image = assemble(dockerfiles.agent);
    stateDir = image.env.HA_AGENT_STATE_DIR!;
    master = await startMaster();
    token = await master.login();
  }, 120_000);

  afterAll(async () => {
    // Whatever a failed test left running: the entry points with their agents, then HAProxy.
    for (const p of procs) p.killAll();
    const pidFile = join(stateDir, "run/haproxy.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : 0;
    if (pid && alive(pid)) process.kill(pid, "SIGKILL");
    await master?.stop();
  });

  const start = (env: Record<string, string>) => {
    const p = run(image, env);
    procs.push(p);
    return p;
  };

  it("refuses a first start without the join command's parts, saying which", async () => {
    const p = start({});
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/not enrolled .*set HA_AGENT_MASTER, HA_AGENT_CA_HASH and HA_AGENT_TOKEN/s);
  });

  it("enrols on the first start, runs HAProxy with what the master deploys, stops HAProxy after the agent on SIGTERM, and needs no token again", async () => {
    const params = await clusterWithToken(master, token, "agent-image");
    const first = start({ HA_AGENT_MASTER: params.master, HA_AGENT_CA_HASH: params.caHash, HA_AGENT_TOKEN: params.token, HA_AGENT_NAME: "image-node" });
    await waitForNode(master, token, "image-node");
    expect(existsSync(join(stateDir, "agent.json"))).toBe(true);
    if (process.getuid?.() === 0) expect(statSync(join(stateDir, "key.pem")).uid).toBe(image.user!.uid);

    // The token stays out of the running agent's environment.
    const agentPid = childrenOf(first.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("run"))!;
    expect(agentPid).toBeGreaterThan(0);
    expect(readFileSync(`/proc/${agentPid}/environ`, "utf8").split("\0").some((e) => e.startsWith("HA_AGENT_TOKEN="))).toBe(false);

    const port = await freePort();
    const deployment = await deployConfig(master, token, params.clusterId, answeringConfig(port, "from-the-image"));
    expect((await waitForDeployment(master, token, params.clusterId, deployment.id, ["succeeded", "failed"])).status).toBe("succeeded");
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("from-the-image");
    const haproxyPid = Number(readFileSync(join(stateDir, "run/haproxy.pid"), "utf8").trim());
    expect(alive(haproxyPid)).toBe(true);

    const stopStarted = performance.now();
    expect(await first.stop("SIGTERM")).toBe(0);
    console.log(`[packaging] agent image command: stopped agent and HAProxy in ${Math.round(performance.now() - stopStarted)} ms`);
    expect(alive(haproxyPid)).toBe(false);
    expect(first.output()).toMatch(/stopping HAProxy/);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();

    // Second start, no token: the enrolment on the volume is used, HAProxy comes back with the
    // release it ran.
    const second = start({});
    await waitForNode(master, token, "image-node", (n) => n.online);
    await waitFor("HAProxy restarted with the current release", async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      return res && (await res.text()) === "from-the-image" ? true : undefined;
    }, 20_000);
    const restarted = Number(readFileSync(join(stateDir, "run/haproxy.pid"), "utf8").trim());
    expect(await second.stop("SIGTERM")).toBe(0);
    expect(alive(restarted)).toBe(false);
    expect(childrenOf(second.pid)).toEqual([]);
  });
});
