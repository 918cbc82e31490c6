import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { composeMaster, type Master, type MasterSettings } from "../compose.js";
import type { Store } from "../db/store.js";
import type { Role } from "../lib/context.js";
import { hashPassword } from "../auth/password.js";
import { insertUser } from "../users/users-dal.js";
import { openTestStore, type DatabaseKind } from "./test-store.js";

export const TEST_PASSWORD = "correct horse battery staple";

export interface TestMaster extends Master {
  store: Store;
  settings: MasterSettings;
  readonly grpcAddress: string;
  /** An access token for a user of each role (users `admin`, `operator`, `viewer`). */
  tokens: Record<Role, string>;
  /** Sends a request with the role's token; `anonymous` sends none. */
  request(
    role: Role | "anonymous",
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
}

/** A master on a fresh database with one user per role, driven in-process (no socket). */
export async function startTestMaster(kind: DatabaseKind, overrides: Partial<MasterSettings> = {}): Promise<TestMaster> {
  const store = await openTestStore(kind);
  const settings: MasterSettings = {
    jwtSecret: randomBytes(32).toString("hex"),
    encryptionKey: randomBytes(32),
    oldEncryptionKeys: [],
    ACCESS_TOKEN_TTL_SECONDS: 900,
    REFRESH_TOKEN_TTL_SECONDS: 3600,
    BODY_LIMIT_BYTES: 2 * 1024 * 1024,
    TRUST_PROXY_HOPS: 0,
    LOGIN_RATE_LIMIT_PER_MINUTE: 1000,
    HAPROXY_BIN: "haproxy",
    GRPC_HOST: "127.0.0.1",
    GRPC_PORT: 0,
    grpcPublicHostnames: ["localhost", "127.0.0.1"],
    HEARTBEAT_INTERVAL_SECONDS: 1,
    DEPLOY_ACK_TIMEOUT_SECONDS: 10,
    ...overrides,
  };
  const master = await composeMaster(settings, store, pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }));
  await master.app.ready();
  await master.start();
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const tokens = {} as Record<Role, string>;
  for (const role of ["admin", "operator", "viewer"] as const) {
    const user = (await insertUser(store.db, { username: role, passwordHash, role }))!;
    tokens[role] = await master.services.tokens.sign({ userId: user.id, username: user.username, role });
  }
  return {
    ...master,
    store,
    settings,
    tokens,
    async request(role, method, url, body, headers = {}) {
      const res = await master.app.inject({
        method: method as "GET",
        url,
        headers: { ...(role === "anonymous" ? {} : { authorization: `Bearer ${tokens[role]}` }), ...headers },
        ...(body === undefined ? {} : typeof body === "string" ? { payload: body } : { payload: body as object }),
      });
      let parsed: unknown;
      try {
        parsed = res.json();
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers, text: res.body };
    },
    /** `host:port` of the agents' gRPC endpoint. */
    get grpcAddress() {
      return `127.0.0.1:${master.services.fleet.grpc!.port}`;
    },
    async close() {
      await master.close();
      await store.close();
    },
  };
}
