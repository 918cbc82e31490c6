import { HaproxyApplier } from "../apply/haproxy-applier.js";
import { startAgent } from "../client/agent.js";
import { requireHaproxy } from "../haproxy/haproxy-binary.js";
import { createLogger } from "../log.js";
import { FileStateStore } from "../state/file-state-store.js";
import { NotEnrolledError } from "../state/state-store.js";
import { readConfigFile, resolveRunConfig, type RunFlags } from "./run-config.js";

/**
 * `ha-agent run`: the long-running agent. Exits 0 on SIGTERM/SIGINT after closing the stream;
 * HAProxy is left running (it is in its own session), so stopping or upgrading the agent never
 * takes the data plane down.
 */
export async function runCommand(flags: RunFlags): Promise<void> {
  const file = flags.config ? await readConfigFile(flags.config) : {};
  const cfg = resolveRunConfig(file, flags);
  const log = createLogger(cfg.logLevel);
  const store = new FileStateStore(cfg.stateDir);
  const [identity, credentials] = [await store.readIdentity(), await store.readCredentials()];
  if (!identity || !credentials) throw new NotEnrolledError(cfg.stateDir);
  const version = await requireHaproxy(cfg.haproxyBin);

  const applier = new HaproxyApplier({
    stateDir: cfg.stateDir,
    mode: cfg.mode,
    haproxyBin: cfg.haproxyBin,
    haproxyEnv: cfg.haproxyEnv,
    keepReleases: cfg.keepReleases,
    reloadTimeoutMs: cfg.reloadTimeoutMs,
    ...(cfg.reloadCommand ? { reloadCommand: cfg.reloadCommand } : {}),
    ...(cfg.runtimeSocket ? { runtimeSocket: cfg.runtimeSocket } : {}),
    log,
  });
  log.info({ nodeId: identity.nodeId, master: identity.master, mode: cfg.mode, stateDir: cfg.stateDir, haproxyVersion: version }, "agent starting");
  const agent = await startAgent({
    master: identity.master,
    credentials,
    applier,
    log,
    onRenewed: (c) => store.saveRenewed(c),
  });

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, "second signal; exiting now");
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, "stopping; haproxy keeps running");
      void agent.stop().then(resolve, (err: unknown) => {
        log.error({ err }, "error while stopping");
        resolve();
      });
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
  log.info("agent stopped");
}
