import { hostname } from "node:os";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { Db, Store } from "./db/store.js";
import { eventBusFor } from "./bus/event-bus.js";
import { bundleCache } from "./bundles/bundle-cache.js";
import { CertificateAuthority, type CaFiles } from "./ca/ca-service.js";
import type { ClustersService } from "./clusters/clusters-service.js";
import type { Keyring } from "./crypto/secret-box.js";
import { deploymentRunnerFactory } from "./deployments/deployment-runner.js";
import { deploymentsServiceFactory } from "./deployments/deployments-service.js";
import { nodeRolloutFactory } from "./deployments/node-rollout.js";
import { enrollmentServiceFactory } from "./enrollment/enrollment-service.js";
import { startGrpcServer, type GrpcServer } from "./grpc/grpc-server.js";
import { heartbeatWriter } from "./grpc/heartbeat-writer.js";
import { NodeSessions } from "./grpc/node-session.js";
import { clearStaleConnections } from "./nodes/nodes-dal.js";
import { releaseAllClaims } from "./deployments/deployments-dal.js";
import { nodesServiceFactory } from "./nodes/nodes-service.js";
import { serverStateServiceFactory } from "./runtime/server-state-service.js";

export interface FleetSettings extends CaFiles {
  GRPC_HOST: string;
  GRPC_PORT: number;
  grpcPublicHostnames: readonly string[];
  GRPC_PUBLIC_ADDRESS?: string;
  AGENT_CERT_TTL_HOURS: number;
  HEARTBEAT_INTERVAL_SECONDS: number;
  DEPLOY_ACK_TIMEOUT_SECONDS: number;
  RUNTIME_COMMAND_TIMEOUT_SECONDS: number;
}

export const DEFAULT_FLEET_SETTINGS: FleetSettings = {
  GRPC_HOST: "127.0.0.1",
  GRPC_PORT: 0,
  grpcPublicHostnames: ["localhost", "127.0.0.1"],
  AGENT_CERT_TTL_HOURS: 72,
  HEARTBEAT_INTERVAL_SECONDS: 10,
  DEPLOY_ACK_TIMEOUT_SECONDS: 60,
  RUNTIME_COMMAND_TIMEOUT_SECONDS: 5,
};

/**
 * The fleet side of the master: nodes, enrolment, deployments, and the agents' gRPC endpoint with
 * its CA. Services exist from the start; the endpoint starts once the database is ready.
 */
export function composeFleet(deps: {
  settings: FleetSettings;
  store: Store;
  log: Logger;
  keyring: Keyring;
  clusters: ClustersService;
  registry: Registry;
}) {
  const { settings, store, log, keyring, clusters } = deps;
  const replica = process.env.POD_NAME ?? `${hostname()}:${process.pid}`;
  const heartbeatMs = settings.HEARTBEAT_INTERVAL_SECONDS * 1000;
  const metrics = {
    streams: new Gauge({ name: "hamaster_agent_streams", help: "Agent streams held by this replica", registers: [deps.registry] }),
    deployments: new Counter({ name: "hamaster_deployments_finished_total", help: "Deployments finished, by status", labelNames: ["status"] as const, registers: [deps.registry] }),
    heartbeatWrites: new Counter({ name: "hamaster_heartbeat_flushes_total", help: "Batched heartbeat writes (one statement each)", registers: [deps.registry] }),
  };

  const bus = eventBusFor(store, log);
  const bundles = bundleCache({ store, keyring });
  const rollout = nodeRolloutFactory({ store, bundles, bus, log });
  const runner = deploymentRunnerFactory({
    store,
    bus,
    log,
    replica,
    ackTimeoutMs: settings.DEPLOY_ACK_TIMEOUT_SECONDS * 1000,
    heartbeatMs,
    onFinished: (status) => metrics.deployments.inc({ status }),
  });
  const sessions = new NodeSessions();
  const heartbeats = heartbeatWriter({ store, log, flushMs: Math.min(1000, heartbeatMs), writes: metrics.heartbeatWrites });
  let ca: CertificateAuthority | undefined;
  let grpc: GrpcServer | undefined;

  const nodes = nodesServiceFactory({ store, clusters, bus, heartbeatMs });
  const enrollment = enrollmentServiceFactory({
    store,
    clusters,
    joinTarget: () => {
      if (!ca) throw new Error("the CA is not loaded yet");
      const host = settings.grpcPublicHostnames[0] ?? "localhost";
      const address = settings.GRPC_PUBLIC_ADDRESS ?? `${host.includes(":") ? `[${host}]` : host}:${grpc?.port ?? settings.GRPC_PORT}`;
      return { address, caPin: ca.pin };
    },
  });
  const deployments = deploymentsServiceFactory({ store, clusters, bundles, runner, bus, heartbeatMs });
  const serverState = serverStateServiceFactory({
    store,
    clusters,
    bus,
    heartbeatMs,
    answerTimeoutMs: settings.RUNTIME_COMMAND_TIMEOUT_SECONDS * 1000,
  });

  return {
    bus,
    nodes,
    enrollment,
    deployments,
    serverState,
    runner,
    sessions,
    get ca() {
      return ca;
    },
    get grpc() {
      return grpc;
    },
    replica,

    /** Loads the CA, opens the agents' endpoint and resumes rollouts a previous run left. Needs the database. */
    async start(db: Db): Promise<void> {
      ca = await CertificateAuthority.load({ db, keyring, files: settings });
      await clearStaleConnections(db, store.kind === "embedded" ? "all" : replica);
      // With the embedded database this is the only process: nothing else can hold a rollout.
      if (store.kind === "embedded") await releaseAllClaims(db);
      grpc = await startGrpcServer(
        {
          store,
          ca,
          caService: ca,
          enrollment,
          rollout,
          sessions,
          heartbeats,
          log,
          replica,
          heartbeatMs,
          certTtlMs: settings.AGENT_CERT_TTL_HOURS * 3600_000,
          bus,
          onStreamCountChange: (n) => metrics.streams.set(n),
        },
        { host: settings.GRPC_HOST, port: settings.GRPC_PORT, hostnames: settings.grpcPublicHostnames },
      );
      await runner.resumeOrphans();
    },

    async close(): Promise<void> {
      await grpc?.close();
      await runner.close();
      await heartbeats.close();
      await bus.close();
    },
  };
}

export type Fleet = ReturnType<typeof composeFleet>;
