import path from "node:path";
import { ReleaseStore } from "../apply/release-store.js";
import { HaproxySupervisor } from "../haproxy/supervisor.js";
import { runtimeCommand } from "../haproxy/runtime-socket.js";
import { silentLogger } from "../log.js";
import { DEFAULT_STATE_DIR, FileStateStore } from "../state/file-state-store.js";
import { parseShowInfo } from "../apply/external-reloader.js";
import { readConfigFile } from "./run-config.js";

/** What `ha-agent status` reports. */
export interface StatusReport {
  enrolled: boolean;
  nodeId?: string;
  clusterId?: string;
  master?: string;
  appliedHash: string;
  diskHash: string;
  drift: boolean;
  currentRelease?: string;
  version?: number;
  deploymentId?: string;
  haproxy: { running: boolean; pid?: number; workerPid?: number; failedReloads?: number; how: string };
}

/** Gathers the node's state from disk and HAProxy without changing anything. */
export async function collectStatus(stateDir: string, runtimeSocket?: string): Promise<StatusReport> {
  const identity = await new FileStateStore(stateDir).readIdentity().catch(() => undefined);
  const releases = new ReleaseStore(stateDir);
  const current = await releases.current();
  const diskHash = current ? await releases.diskHash(current.dir) : "";
  const supervisor = new HaproxySupervisor({ bin: "haproxy", runDir: path.join(stateDir, "run"), configPath: "", env: {}, log: silentLogger() });
  let haproxy: StatusReport["haproxy"];
  const pid = await supervisor.find();
  if (pid !== undefined) {
    const s = await supervisor.status();
    haproxy = { running: true, pid, ...(s.workerPid ? { workerPid: s.workerPid } : {}), failedReloads: s.failedReloads, how: "supervised" };
  } else if (runtimeSocket) {
    const info = await runtimeCommand(runtimeSocket, "show info").then(parseShowInfo, () => undefined);
    haproxy = info ? { running: true, pid: Number(info["Pid"]), how: `external, ${runtimeSocket}` } : { running: false, how: `external, ${runtimeSocket}` };
  } else {
    haproxy = { running: false, how: "no supervised HAProxy found (external mode: pass --config with runtimeSocket)" };
  }
  return {
    enrolled: identity !== undefined,
    ...(identity ? { nodeId: identity.nodeId, clusterId: identity.clusterId, master: identity.master } : {}),
    appliedHash: current?.meta.hash ?? "",
    diskHash,
    drift: current !== undefined && diskHash !== current.meta.hash,
    ...(current ? { currentRelease: current.name, version: current.meta.version, deploymentId: current.meta.deploymentId } : {}),
    haproxy,
  };
}

/** Renders a report as aligned lines for a terminal. */
export function formatStatus(r: StatusReport): string {
  const h = r.haproxy;
  const lines = [
    ["node", r.enrolled ? `${r.nodeId} (cluster ${r.clusterId})` : "not enrolled"],
    ["master", r.master ?? "-"],
    ["applied hash", r.appliedHash || "none"],
    ["disk", r.currentRelease ? (r.drift ? `DRIFT: files on disk hash to ${r.diskHash}` : "matches the applied bundle") : "-"],
    ["current release", r.currentRelease ? `${r.currentRelease} (version ${r.version}, deployment ${r.deploymentId || "-"})` : "none"],
    ["haproxy", h.running ? `running (pid ${h.pid}${h.workerPid ? `, worker ${h.workerPid}` : ""}${h.failedReloads ? `, ${h.failedReloads} failed reloads` : ""}; ${h.how})` : `not running (${h.how})`],
  ];
  return `${lines.map(([k, v]) => `${`${k}:`.padEnd(17)}${v}`).join("\n")}\n`;
}

/** `ha-agent status`. */
export async function statusCommand(flags: { stateDir?: string; config?: string; json?: boolean }): Promise<void> {
  const file = flags.config ? await readConfigFile(flags.config) : {};
  const report = await collectStatus(flags.stateDir ?? file.stateDir ?? DEFAULT_STATE_DIR, file.runtimeSocket);
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
}
