import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, MASTER_BIN, startProcess, tempDir, waitFor, type Proc } from "../support/processes.js";
import { env as imageEnv, parseDockerfile, stage } from "./support/dockerfile.js";
import { containerEnv, secretStore } from "./support/k8s.js";
import { find, podSpec, render, type K8sObject } from "./support/kustomize.js";
import { K8S, ROOT } from "./support/paths.js";
import { createSecrets, NASTY, nastyDatabase } from "./support/secrets.js";

/**
 * The master's pod of overlays/single, outside a cluster: the environment the kubelet would
 * build from the rendered Deployment, its ConfigMap and the Secrets create-secrets.sh writes
 * (with user name and passwords full of shell and URL metacharacters), the built master as the
 * container command, and the probes' timing checked against what it really takes to start.
 */
describe("the master pod of overlays/single, from its manifests and secrets, on a real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof nastyDatabase>>;
  let objects: K8sObject[];
  let pod: any;
  let master: any;
  let secrets: ReturnType<typeof secretStore>;
  const procs: Proc[] = [];

  beforeAll(async () => {
    db = await nastyDatabase();
    const run = createSecrets(["--dir", db.dir, "--db-host", "127.0.0.1", "--db-name", db.database]);
    expect(run.status, run.stderr).toBe(0);
    secrets = secretStore(run.objects);
    objects = render(join(K8S, "overlays/single"));
    pod = podSpec(find(objects, "Deployment", "ha-master"));
    master = pod.containers.find((c: any) => c.name === "master");
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop("SIGKILL")));
    await db?.drop();
  });

  it("its init container waits for PostgreSQL's port, and lets the pod go on once it answers", async () => {
    const init = pod.initContainers.find((c: any) => c.name === "wait-for-database");
    expect(init.command.slice(0, 2)).toEqual(["node", "-e"]);
    const runInit = (env: Record<string, string>) => startProcess(process.execPath, init.command.slice(1), env);

    const ready = runInit(containerEnv(objects, init, secrets));
    procs.push(ready);
    expect(await ready.exited).toBe(0);
    expect(ready.output()).toMatch(/PostgreSQL at 127\.0\.0\.1:5432 accepts connections/);

    const closed = await freePort();
    const waiting = runInit({ DATABASE_URL: `postgres://u:p@127.0.0.1:${closed}/db` });
    procs.push(waiting);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(waiting.child.exitCode).toBeNull();
    expect(waiting.output()).toMatch(new RegExp(`waiting for PostgreSQL at 127\\.0\\.0\\.1:${closed}`));
    expect(waiting.output().match(/waiting/g)).toHaveLength(1); // said once, not every 2 s
    await waiting.stop();
  });

  it("starts with the pod's environment; /health answers well inside the startup probe, /ready once migrated", async () => {
    const env = {
      ...imageEnv(stage(parseDockerfile(join(ROOT, "Dockerfile.master")), "runtime")),
      ...containerEnv(objects, master, secrets),
    };
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@127\.0\.0\.1:5432\//);
    expect(env.HAMASTER_ADMIN_PASSWORD).toBe(NASTY.admin);
    // A pod has its own network: here the ports are free ones on loopback, the data directory
    // (an emptyDir, unused with PostgreSQL) a scratch directory, HAProxy the machine's.
    const httpPort = await freePort();
    Object.assign(env, { HTTP_PORT: String(httpPort), HTTP_HOST: "127.0.0.1", GRPC_PORT: String(await freePort()), GRPC_HOST: "127.0.0.1", HAMASTER_DATA_DIR: tempDir("pod-data") });
    const url = `http://127.0.0.1:${httpPort}`;

    const started = performance.now();
    const child = spawn(process.execPath, [MASTER_BIN, ...master.args], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", r));
    procs.push({ child, output: () => output, exited, stop: async (s = "SIGTERM") => (child.exitCode === null && child.kill(s), exited) });

    const firstOk = (path: string, timeoutMs: number) =>
      waitFor(() => `${path} (output: ${output})`, async () => {
        if (child.exitCode !== null) throw new Error(`exited: ${output}`);
        const res = await fetch(url + path).catch(() => undefined);
        return res?.ok ? performance.now() - started : undefined;
      }, timeoutMs);
    const health = await firstOk("/health", 10_000);
    const ready = await firstOk("/ready", 60_000);

    const startup = master.startupProbe;
    const startupBudgetMs = startup.periodSeconds * startup.failureThreshold * 1000;
    console.log(
      `[packaging] master pod on PostgreSQL: /health after ${Math.round(health)} ms, /ready after ${Math.round(ready)} ms; ` +
        `startup probe allows ${startupBudgetMs / 1000} s for /health, then readiness every ${master.readinessProbe.periodSeconds} s on /ready`,
    );
    // Tuned to the real start: /health comes in the first probe period, with 10x room for a slow node...
    expect(health).toBeLessThan(startup.periodSeconds * 1000);
    expect(startupBudgetMs).toBeGreaterThanOrEqual(10 * health);
    // ...but a master that cannot listen is restarted within seconds, not minutes.
    expect(startupBudgetMs).toBeLessThanOrEqual(30_000);
    // Readiness gates traffic on the database: it fails until the migrations ran, then passes.
    expect(ready).toBeGreaterThan(health);
    expect(master.readinessProbe.failureThreshold * master.readinessProbe.periodSeconds).toBeLessThanOrEqual(10);

    // The admin password from the secret, every byte of it, is the first admin's.
    const login = await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: NASTY.admin }) });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    // Join commands carry the address agents reach from outside the cluster (the ConfigMap's).
    const headers = { authorization: `Bearer ${accessToken}`, "content-type": "application/json" };
    const cluster = (await (await fetch(`${url}/api/v1/clusters`, { method: "POST", headers, body: JSON.stringify({ name: "edge" }) })).json()) as { id: string };
    const enrol = (await (await fetch(`${url}/api/v1/enrollment-tokens`, { method: "POST", headers, body: JSON.stringify({ clusterId: cluster.id }) })).json()) as { joinCommand: string };
    expect(enrol.joinCommand).toContain(`--master ${env.GRPC_PUBLIC_ADDRESS}`);

    // SIGTERM (after the preStop sleep) ends it well within the grace period.
    const stopping = performance.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const stopMs = performance.now() - stopping;
    const preStop = Number(master.lifecycle.preStop.exec.command[1]);
    expect(stopMs + preStop * 1000).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
  });
});
