import { haproxyVersion } from "../haproxy/haproxy-binary.js";
import { join } from "../enroll/join.js";
import { createLogger, LOG_LEVELS, type LogLevel } from "../log.js";
import { DEFAULT_STATE_DIR, FileStateStore } from "../state/file-state-store.js";
import { ConfigError } from "./run-config.js";

/** Flags of `ha-agent join`. */
export interface JoinFlags {
  master: string;
  token?: string;
  caHash: string;
  stateDir?: string;
  name?: string;
  force?: boolean;
  haproxyBin?: string;
  logLevel?: string;
}

/** `ha-agent join`: enrols the node and prints one line saying what happened. */
export async function joinCommand(flags: JoinFlags): Promise<void> {
  // The token may come from the environment so it does not show in `ps` or shell history.
  const token = flags.token ?? process.env["HA_AGENT_TOKEN"];
  if (!token) throw new ConfigError("missing enrolment token: pass --token or set HA_AGENT_TOKEN");
  const level = (flags.logLevel ?? "warn") as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`invalid --log-level ${JSON.stringify(flags.logLevel)}`);
  const stateDir = flags.stateDir ?? DEFAULT_STATE_DIR;
  const identity = await join({
    master: flags.master,
    token,
    caHash: flags.caHash,
    store: new FileStateStore(stateDir),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    force: flags.force ?? false,
    haproxyVersion: await haproxyVersion(flags.haproxyBin ?? "/usr/sbin/haproxy"),
    log: createLogger(level, process.stderr),
  });
  process.stdout.write(
    `enrolled as node ${identity.nodeId} in cluster ${identity.clusterId}; state in ${stateDir}. Start the agent with: ha-agent run --state-dir ${stateDir}\n`,
  );
}
