import http2 from "node:http2";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { AgentService } from "@ha-master/protocol";
import type { EventBus } from "../bus/event-bus.js";
import type { CertificateAuthority, ServerIdentity } from "../ca/ca-service.js";
import { agentServiceImpl, type AgentServiceDeps } from "./agent-service.js";
import { errorMapping } from "./grpc-errors.js";
import { PEER, peerOf } from "./peer.js";

const DAY_MS = 86_400_000;

export interface GrpcServerOptions {
  host: string;
  port: number;
  hostnames: readonly string[];
}

/**
 * The agents' endpoint: HTTP/2 over TLS with the internal CA's server certificate. Client
 * certificates are requested but not required at the handshake, because Enroll comes before a
 * node has one; Connect and Renew check them per call (see peer.ts).
 */
export async function startGrpcServer(
  deps: AgentServiceDeps & { caService: CertificateAuthority; bus: EventBus },
  options: GrpcServerOptions,
) {
  const { log, sessions } = deps;
  let identity: ServerIdentity = await deps.caService.serverIdentity(options.hostnames);
  const tlsOptions = (id: ServerIdentity) => ({ key: id.keyPem, cert: id.chainPem, ca: [deps.caService.certPem] });

  const handler = connectNodeAdapter({
    routes: (router) => router.service(AgentService, agentServiceImpl(deps)),
    interceptors: [errorMapping(log)],
    contextValues: (req) => createContextValues().set(PEER, peerOf(req.socket as TLSSocket)),
    // Bundles carry certificates; allow large ones, not unbounded ones.
    readMaxBytes: 64 * 1024 * 1024,
  });
  const server = http2.createSecureServer(
    { ...tlsOptions(identity), requestCert: true, rejectUnauthorized: false, allowHTTP1: false, settings: { maxConcurrentStreams: 16 } },
    handler,
  );
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("sessionError", (err) => log.debug({ err }, "agent http2 session error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  log.info({ host: options.host, port: options.port, hostnames: options.hostnames }, "grpc listening");

  const unsubscribe = deps.bus.subscribe((message) => {
    if (message.type === "push-deployment") {
      void deps.rollout
        .desiredForDeployment(message.deploymentId, (nodeId) => sessions.get(nodeId) !== undefined)
        .then((pushes) => {
          for (const [nodeId, desired] of pushes) sessions.get(nodeId)?.offer(desired);
        })
        .catch((err: unknown) => log.error({ err, deploymentId: message.deploymentId }, "pushing a batch failed"));
      return;
    }
    if (message.type === "command") {
      for (const session of sessions.all()) {
        if (session.node.clusterId === message.clusterId) session.sendCommand(message.commandId, message.command);
      }
      return;
    }
    if (message.type === "command-result") return;
    const session = "nodeId" in message ? sessions.get(message.nodeId) : undefined;
    if (!session) return;
    if (message.type === "push") void session.push();
    if (message.type === "revoke") session.close(new ConnectError(`node ${message.nodeId} was revoked`, Code.PermissionDenied));
  });

  // A stream that says nothing for three heartbeats is dead (a half-open TCP connection).
  const sweep = setInterval(() => {
    const limit = Date.now() - 3 * deps.heartbeatMs;
    for (const session of sessions.all()) {
      if (session.lastMessageAt < limit) {
        log.info({ nodeId: session.node.id }, "node silent for three heartbeats; closing its stream");
        session.close(new ConnectError("no heartbeat for three intervals", Code.DeadlineExceeded));
      }
    }
  }, deps.heartbeatMs);
  sweep.unref();

  // The server certificate is short-lived; a fresh one replaces it well before it expires.
  const rotate = setInterval(async () => {
    if (identity.notAfter.getTime() - Date.now() > 10 * DAY_MS) return;
    try {
      identity = await deps.caService.serverIdentity(options.hostnames);
      server.setSecureContext(tlsOptions(identity));
      log.info({ notAfter: identity.notAfter }, "grpc server certificate renewed");
    } catch (err) {
      log.error({ err }, "grpc server certificate renewal failed");
    }
  }, 6 * 3600_000);
  rotate.unref();

  return {
    server,
    get port(): number {
      const address = server.address();
      return typeof address === "object" && address ? address.port : options.port;
    },
    /** Stops accepting agents and ends every stream; agents reconnect elsewhere or later. */
    async close(): Promise<void> {
      clearInterval(sweep);
      clearInterval(rotate);
      unsubscribe();
      for (const session of sessions.all()) session.close(new ConnectError("the master is shutting down", Code.Unavailable));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000).unref();
      });
    },
  };
}

export type GrpcServer = Awaited<ReturnType<typeof startGrpcServer>>;
