// A small in-test master: a real HTTP/2 TLS server (connectNodeAdapter on
// http2.createSecureServer) speaking AgentService, with a CA made in the test. It records what
// agents send and lets a test push messages. Not the real master; not part of the build.
import http2 from "node:http2";
import type net from "node:net";
import type { TLSSocket } from "node:tls";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, createContextValues, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  AgentService,
  MasterMessageSchema,
  type AgentMessage,
  type EnrollRequest,
  type EnrollResponseSchema,
  type MasterMessage,
  type RenewRequest,
  type RenewResponseSchema,
} from "@ha-master/protocol";
import { Outbox } from "@ha-master/shared";
import { createTestCa, type TestCa } from "./pki.js";

const PEER = createContextKey<{ authorized: boolean; subjectCn: string; serial: string } | undefined>(undefined);

/** One agent stream as the test master sees it. */
export class TestStream {
  readonly received: AgentMessage[] = [];
  readonly outbox = new Outbox<MasterMessage>();
  ended = false;
  private waiters: Array<() => void> = [];

  constructor(readonly peer: { subjectCn: string; serial: string }) {}

  /** Sends a MasterMessage to the agent (plain objects are fine, as for `create`). */
  send(msg: MessageInitShape<typeof MasterMessageSchema>["msg"]): void {
    this.outbox.push(create(MasterMessageSchema, { msg }));
  }
  /** Ends the stream from the master's side. */
  end(): void {
    this.outbox.close();
  }
  push(m: AgentMessage): void {
    this.received.push(m);
    for (const w of this.waiters.splice(0)) w();
  }
  /** Messages of one kind received so far. */
  of<K extends NonNullable<AgentMessage["msg"]["case"]>>(kind: K): Extract<AgentMessage["msg"], { case: K }>["value"][] {
    return this.received.filter((m) => m.msg.case === kind).map((m) => m.msg.value) as never;
  }
  /** Waits until `pred` holds over the received messages. */
  async waitFor(pred: (s: TestStream) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; received: ${this.received.map((m) => m.msg.case).join(",")}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/** Behaviour knobs; each defaults to a well-behaved master. */
export interface TestMasterOptions {
  heartbeatIntervalMs?: number;
  renewAfterUnixMs?: () => bigint;
  /** Throw a ConnectError to refuse a stream (e.g. unauthenticated for a revoked node). */
  onConnect?: (peer: { subjectCn: string; serial: string }) => void;
  onEnroll?: (req: EnrollRequest, ca: TestCa) => Promise<MessageInitShape<typeof EnrollResponseSchema>>;
  onRenew?: (req: RenewRequest, ca: TestCa, peer: { subjectCn: string }) => Promise<MessageInitShape<typeof RenewResponseSchema>>;
}

export class TestMaster {
  readonly streams: TestStream[] = [];
  private streamWaiters: Array<() => void> = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly ca: TestCa,
    private readonly server: http2.Http2SecureServer,
    readonly port: number,
  ) {
    server.on("connection", (s: net.Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(opts: TestMasterOptions = {}, ca?: TestCa): Promise<TestMaster> {
    const theCa = ca ?? (await createTestCa());
    const leaf = await theCa.issueServer();
    let master: TestMaster | undefined;
    const routes = (router: ConnectRouter) =>
      router.service(AgentService, {
        enroll: async (req) => {
          if (!opts.onEnroll) throw new ConnectError("enrolment disabled", Code.Unimplemented);
          return { caPem: theCa.certPem, ...(await opts.onEnroll(req, theCa)) };
        },
        renew: async (req, ctx) => {
          const peer = ctx.values.get(PEER);
          if (!peer?.authorized) throw new ConnectError("client certificate required", Code.Unauthenticated);
          const extra = opts.onRenew ? await opts.onRenew(req, theCa, peer) : {};
          return { certificatePem: await theCa.signCsr(req.csrPem, peer.subjectCn), caPem: theCa.certPem, ...extra };
        },
        async *connect(requests, ctx) {
          const peer = ctx.values.get(PEER);
          if (!peer?.authorized) throw new ConnectError("client certificate required", Code.Unauthenticated);
          opts.onConnect?.(peer);
          const stream = new TestStream(peer);
          master!.addStream(stream);
          void (async () => {
            try {
              for await (const m of requests) {
                stream.push(m);
                if (m.msg.case === "hello") {
                  stream.send({
                    case: "welcome",
                    value: {
                      nodeId: peer.subjectCn,
                      clusterId: "c1",
                      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 60_000,
                      renewAfterUnixMs: opts.renewAfterUnixMs?.() ?? 0n,
                    },
                  });
                }
              }
            } catch {
              // the agent went away
            } finally {
              stream.ended = true;
              stream.end();
            }
          })();
          yield* stream.outbox;
        },
      });
    const handler = connectNodeAdapter({
      routes,
      contextValues: (req) => {
        const sock = req.socket as TLSSocket;
        const cert = sock.getPeerCertificate?.();
        return createContextValues().set(PEER, {
          authorized: sock.authorized === true,
          subjectCn: String(cert?.subject?.CN ?? ""),
          serial: cert?.serialNumber ?? "",
        });
      },
    });
    const server = http2.createSecureServer(
      {
        key: leaf.keyPem,
        // Leaf and CA: the agent's join finds the CA to pin in the chain the master presents.
        cert: `${leaf.certPem}${theCa.certPem}`,
        ca: theCa.certPem,
        requestCert: true,
        // Enroll has no client certificate yet; Connect and Renew check `authorized` themselves.
        rejectUnauthorized: false,
      },
      handler,
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    master = new TestMaster(theCa, server, (server.address() as net.AddressInfo).port);
    return master;
  }

  private addStream(s: TestStream): void {
    this.streams.push(s);
    for (const w of this.streamWaiters.splice(0)) w();
  }

  /** Waits for the n-th stream (1-based) to open and say Hello (so Welcome went out first). */
  async stream(n: number, timeoutMs = 5_000): Promise<TestStream> {
    const deadline = Date.now() + timeoutMs;
    while (this.streams.length < n) {
      if (Date.now() > deadline) throw new Error(`stream ${n} did not open (have ${this.streams.length})`);
      await new Promise<void>((resolve) => {
        this.streamWaiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    const s = this.streams[n - 1]!;
    await s.waitFor((x) => x.of("hello").length > 0, timeoutMs);
    return s;
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.end();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
