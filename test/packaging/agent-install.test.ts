import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMaster, type MasterProcess } from "../support/master-process.js";
import { freePort, waitFor } from "../support/processes.js";
import { answeringConfig, clusterWithToken, deployConfig, waitForDeployment, waitForNode, type JoinParams } from "./support/fleet.js";
import { DEPLOY, ROOT, scratch } from "./support/paths.js";

const INSTALL = join(DEPLOY, "agent/install.sh");
const UNIT = join(DEPLOY, "agent/ha-agent.service");
const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";

/** A scratch root with the files useradd and systemd need: accounts, and the system's unit directory. */
function scratchRoot(): string {
  const root = scratch("root");
  chmodSync(root, 0o755); // as / is: the service user must reach /opt and /var/lib
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
  writeFileSync(join(root, "etc/group"), "root:x:0:\n");
  writeFileSync(join(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n", { mode: 0o640 });
  writeFileSync(join(root, "etc/gshadow"), "root:*::\n", { mode: 0o640 });
  // systemd-analyze verify --root resolves the unit's dependencies (multi-user.target, …) there.
  cpSync("/usr/lib/systemd/system", join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });
  return root;
}

function install(args: string[], env: Record<string, string> = {}) {
  return spawnSync("sh", [INSTALL, ...args], { encoding: "utf8", env: { ...process.env, HA_AGENT_TOKEN: "", ...env } });
}

function account(root: string, name: string): { uid: number; gid: number; home: string; shell: string } | undefined {
  const line = readFileSync(join(root, "etc/passwd"), "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid, , home, shell] = line.split(":");
  return { uid: Number(uid), gid: Number(gid), home: home!, shell: shell! };
}

function verifyUnit(root: string): { status: number | null; output: string } {
  if (!existsSync(SYSTEMD_ANALYZE)) throw new Error(`${SYSTEMD_ANALYZE} not found: apt-get install systemd (it checks the agent's unit file)`);
  const r = spawnSync(SYSTEMD_ANALYZE, ["verify", `--root=${root}`, join(root, "etc/systemd/system/ha-agent.service")], { encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

function haproxyPid(stateDir: string): number {
  return Number(readFileSync(join(stateDir, "run/haproxy.pid"), "utf8").trim());
}

describe("deploy/agent: bundle, install.sh into a scratch root, systemd unit", () => {
  let bundle: string;
  let master: MasterProcess;
  let token: string;
  let params: JoinParams & { clusterId: string };
  const cleanups: (() => void)[] = [];
  const stateDirs: string[] = [];

  beforeAll(async () => {
    const out = join(scratch("bundle"), "ha-agent-test");
    const built = spawnSync("sh", [join(DEPLOY, "agent/build-bundle.sh"), out], { encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    bundle = `${out}.tar.gz`;
    master = await startMaster();
    token = await master.login();
    params = await clusterWithToken(master, token, "installed", 2);
  }, 120_000);

  afterAll(async () => {
    // Whatever a failed test left running: agents, and the HAProxy they started (own session).
    for (const c of cleanups) c();
    for (const state of stateDirs) {
      const pidFile = join(state, "run/haproxy.pid");
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGKILL");
      } catch {
        // already gone
      }
    }
    await master?.stop();
  });

  it("installs the bundle, creates the user and state directory, enrols with the master, enables the unit; systemd-analyze verify finds nothing", async () => {
    const root = scratchRoot();
    const r = install(["--root", root, "--bundle", bundle, "--master", params.master, "--ca-hash", params.caHash, "--name", "installed-1"], { HA_AGENT_TOKEN: params.token });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/HAProxy \d+\.\d+\.\d+ at \/usr\/sbin\/haproxy/);

    // Files: the bundle in /opt, the command on the PATH, the unit as shipped, enabled.
    const version = JSON.parse(readFileSync(join(ROOT, "packages/agent/package.json"), "utf8")).version as string;
    expect(readFileSync(join(root, "opt/ha-agent/VERSION"), "utf8").trim()).toBe(version);
    expect(readlinkSync(join(root, "usr/local/bin/ha-agent"))).toBe("/opt/ha-agent/bin/ha-agent");
    expect(readFileSync(join(root, "etc/systemd/system/ha-agent.service"), "utf8")).toBe(readFileSync(UNIT, "utf8"));
    const wanted = join(root, "etc/systemd/system/multi-user.target.wants/ha-agent.service");
    expect(lstatSync(wanted).isSymbolicLink()).toBe(true);
    expect(readlinkSync(wanted)).toBe("/etc/systemd/system/ha-agent.service");

    // The user: a system account that cannot log in, owning the state directory and the key.
    const user = account(root, "ha-agent")!;
    expect(user.uid).toBeLessThan(1000);
    expect(user).toMatchObject({ home: "/var/lib/ha-agent", shell: "/usr/sbin/nologin" });
    const state = join(root, "var/lib/ha-agent");
    stateDirs.push(state);
    expect((statSync(state).mode & 0o777).toString(8)).toBe("750");
    expect(statSync(state).uid).toBe(user.uid);
    expect((statSync(join(state, "key.pem")).mode & 0o777).toString(8)).toBe("600");
    expect(statSync(join(state, "key.pem")).uid).toBe(user.uid);
    expect(JSON.parse(readFileSync(join(state, "agent.json"), "utf8"))).toMatchObject({ master: params.master, caHash: params.caHash });
    expect(JSON.parse(readFileSync(join(root, "etc/ha-agent/config.json"), "utf8"))).toEqual({ stateDir: "/var/lib/ha-agent", mode: "supervised", haproxyBin: "/usr/sbin/haproxy", logLevel: "info" });
    await waitForNode(master, token, "installed-1", () => true);

    const verify = verifyUnit(root);
    expect(verify.output).toBe("");
    expect(verify.status).toBe(0);
    const docs = [...readFileSync(UNIT, "utf8").matchAll(/file:\/\/(\S+)/g)].map((m) => m[1]!);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) expect(existsSync(join(root, doc)), doc).toBe(true);

    // The unit's ExecStart, as its User, from the installed files: the node comes online and
    // serves what the master deploys. Stopping the agent leaves HAProxy serving (KillMode=process).
    const unit = readFileSync(UNIT, "utf8");
    const exec = /^ExecStart=(.+)$/m.exec(unit)![1]!.split(/\s+/).map((w) => (w.startsWith("/") ? join(root, w) : w));
    const asUser = process.getuid?.() === 0 ? { uid: user.uid, gid: user.gid } : {};
    const agent = spawn(exec[0]!, [...exec.slice(1), "--state-dir", state], {
      env: { PATH: process.env.PATH, NODE_ENV: /^Environment=NODE_ENV=(\S+)$/m.exec(unit)![1] },
      stdio: ["ignore", "pipe", "pipe"],
      ...asUser,
    });
    let output = "";
    agent.stdout.on("data", (d: Buffer) => (output += d.toString()));
    agent.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((res) => agent.once("exit", res));
    cleanups.push(() => agent.exitCode === null && agent.kill("SIGKILL"));
    await waitForNode(master, token, "installed-1", (n) => n.online).catch((e) => {
      throw new Error(`${e}; agent output: ${output}`);
    });
    const port = await freePort();
    const d = await deployConfig(master, token, params.clusterId, answeringConfig(port, "installed"));
    expect((await waitForDeployment(master, token, params.clusterId, d.id, ["succeeded", "failed"])).status).toBe("succeeded");
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("installed");
    const pid = haproxyPid(state);
    agent.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("installed");
    // Stopped the way docs/agent-install.md (Uninstall) says.
    process.kill(pid, "SIGUSR1");
    await waitFor("HAProxy to finish", async () => {
      try {
        process.kill(pid, 0);
        return readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ") ? true : undefined;
      } catch {
        return true;
      }
    });

    // Upgrade: the same command again, without a token. The enrolment and the configuration
    // (edited by the operator) stay; the bundle is swapped whole.
    const configFile = join(root, "etc/ha-agent/config.json");
    writeFileSync(configFile, JSON.stringify({ stateDir: "/var/lib/ha-agent", mode: "supervised", logLevel: "debug" }));
    const again = install(["--root", root, "--bundle", bundle]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already enrolled \(node [0-9a-f-]+\)/);
    expect(again.stderr).toMatch(/kept .*config\.json/);
    expect(JSON.parse(readFileSync(configFile, "utf8")).logLevel).toBe("debug");
    expect(readdirSync(join(root, "opt")).sort()).toEqual(["ha-agent"]);
    expect(statSync(join(state, "key.pem")).uid).toBe(user.uid);
    expect(verifyUnit(root).status).toBe(0);
  });

  it("external mode: lets systemd's haproxy.service run the agent's release and allows exactly its reload through sudo", () => {
    const root = scratchRoot();
    const tokenFile = join(scratch("token"), "token");
    writeFileSync(tokenFile, params.token, { mode: 0o600 });
    const r = install(["--root", root, "--bundle", bundle, "--master", params.master, "--ca-hash", params.caHash, "--name", "installed-2", "--mode", "external", "--runtime-socket", "/run/haproxy/admin.sock", "--token-file", tokenFile]);
    expect(r.status, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(root, "etc/ha-agent/config.json"), "utf8"));
    expect(config).toMatchObject({ mode: "external", reloadCommand: "sudo -n systemctl reload-or-restart haproxy.service", runtimeSocket: "/run/haproxy/admin.sock" });
    expect(readFileSync(join(root, "etc/systemd/system/haproxy.service.d/ha-agent.conf"), "utf8")).toMatch(/^Environment=CONFIG=\/var\/lib\/ha-agent\/current\/haproxy\.cfg$/m);
    expect(readFileSync(join(root, "etc/sudoers.d/ha-agent"), "utf8")).toBe(
      "ha-agent ALL=(root) NOPASSWD: /usr/bin/systemctl reload-or-restart haproxy.service, /bin/systemctl reload-or-restart haproxy.service\n",
    );
    expect((statSync(join(root, "etc/sudoers.d/ha-agent")).mode & 0o777).toString(8)).toBe("440");
    // The drop-in relaxes the sandbox so sudo can run; the unit with it still verifies cleanly.
    expect(readFileSync(join(root, "etc/systemd/system/ha-agent.service.d/external.conf"), "utf8")).toMatch(/NoNewPrivileges=no/);
    const verify = verifyUnit(root);
    expect(verify.output).toBe("");
    expect(verify.status).toBe(0);
  });

  it("stops with a clear message before touching anything when HAProxy is missing or the arguments are wrong", () => {
    const root = scratchRoot();
    const noHaproxy = install(["--root", root, "--bundle", bundle, "--haproxy-bin", "/nonexistent/haproxy"]);
    expect(noHaproxy.status).toBe(1);
    expect(noHaproxy.stderr).toMatch(/HAProxy is not installed \(\/nonexistent\/haproxy not found\)/);
    expect(existsSync(join(root, "opt/ha-agent"))).toBe(false);

    const notABundle = install(["--root", root, "--bundle", scratch("empty")]);
    expect(notABundle.status).toBe(1);
    expect(notABundle.stderr).toMatch(/is not an agent bundle/);

    const badMode = install(["--root", root, "--bundle", bundle, "--mode", "sidecar"]);
    expect(badMode.status).toBe(1);
    expect(badMode.stderr).toMatch(/--mode must be supervised or external/);

    expect(install(["--root", root]).status).toBe(2); // no --bundle: usage
    const unknown = install(["--root", root, "--bundel", bundle]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --bundel/);
    expect(existsSync(join(root, "opt/ha-agent"))).toBe(false);

    const noToken = install(["--root", root, "--bundle", bundle, "--master", params.master, "--ca-hash", params.caHash]);
    expect(noToken.status).toBe(1);
    expect(noToken.stderr).toMatch(/set HA_AGENT_TOKEN or pass --token-file/);
    expect(existsSync(join(root, "opt/ha-agent"))).toBe(false);
    expect(account(root, "ha-agent")).toBeUndefined();
  });
});
