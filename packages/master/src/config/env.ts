import { hostname } from "node:os";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);
const seconds = z.coerce.number().int().positive();
const hexKey = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 32 bytes written as 64 hex digits (e.g. `openssl rand -hex 32`)");

/**
 * Every setting of ha-master, read from the environment once at start. Defaults are for the
 * embedded single-machine mode; production (DATABASE_URL set) must provide its secrets.
 */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/./, "must be a PostgreSQL connection URL: postgres://USER:PASSWORD@HOST:5432/DATABASE")
    .optional(),
  HAMASTER_DATA_DIR: z.string().min(1).default("./data"),
  HTTP_HOST: z.string().min(1).default("0.0.0.0"),
  HTTP_PORT: port.default(8080),
  GRPC_HOST: z.string().min(1).default("0.0.0.0"),
  GRPC_PORT: port.default(8443),
  /** Host names and addresses agents use to reach the gRPC port; all go into its certificate. */
  GRPC_PUBLIC_HOSTNAMES: z.string().optional(),
  /** HOST:PORT agents dial, for join commands (default: the first public host name and GRPC_PORT). */
  GRPC_PUBLIC_ADDRESS: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^\s:]+):\d{1,5}$/, "must be HOST:PORT").optional(),
  /** Bring your own CA: PEM files of the CA that signs agent certificates (both or neither). */
  HAMASTER_CA_CERT_FILE: z.string().optional(),
  HAMASTER_CA_KEY_FILE: z.string().optional(),
  /** Bring your own gRPC server certificate (signed by that CA); otherwise the CA issues one. */
  GRPC_TLS_CERT_FILE: z.string().optional(),
  GRPC_TLS_KEY_FILE: z.string().optional(),
  /** How long an agent certificate lives; agents renew at two thirds of it. */
  // At least an hour: certificates are backdated 5 minutes against clock skew, and renewal at two
  // thirds of a much shorter life would come at once, on every connection.
  AGENT_CERT_TTL_HOURS: z.coerce.number().min(1).max(24 * 365).default(72),
  /** Agents send a heartbeat this often; a node is offline after three missed ones. */
  HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** How long a deployment waits for a connected node's ACK before it halts. */
  DEPLOY_ACK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How long a runtime command (set server state) waits for the nodes' answers. */
  RUNTIME_COMMAND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  CERT_ENCRYPTION_KEY: hexKey.optional(),
  /** Earlier encryption keys, comma-separated, still accepted for reading during a rotation. */
  CERT_ENCRYPTION_KEYS_OLD: z.string().optional(),
  HAMASTER_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** HAProxy binary used to check configs on the master; "off" disables that check. */
  HAPROXY_BIN: z.string().default("haproxy"),
  ACCESS_TOKEN_TTL_SECONDS: seconds.default(900),
  REFRESH_TOKEN_TTL_SECONDS: seconds.default(30 * 24 * 3600),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /** Trust X-Forwarded-For from this many proxy hops (0: the socket address is the client). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  HAMASTER_WEB_DIR: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Settings after secrets have been resolved (from the environment or the data directory). */
export interface Settings extends Readonly<Omit<Env, "JWT_SECRET" | "CERT_ENCRYPTION_KEY" | "GRPC_PUBLIC_HOSTNAMES">> {
  readonly mode: "postgres" | "embedded";
  readonly jwtSecret: string;
  readonly encryptionKey: Buffer;
  readonly oldEncryptionKeys: readonly Buffer[];
  readonly grpcPublicHostnames: readonly string[];
}

/** Thrown when the environment is unusable; main() prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; throws ConfigError listing every bad variable at once. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The gRPC certificate's names: the configured list, else this host's name and loopback. */
export function publicHostnames(env: Pick<Env, "GRPC_PUBLIC_HOSTNAMES">): string[] {
  const configured = env.GRPC_PUBLIC_HOSTNAMES?.split(",").map((s) => s.trim()).filter(Boolean);
  if (configured && configured.length > 0) return configured;
  return [...new Set([hostname(), "localhost", "127.0.0.1", "::1"])];
}

/** Parses CERT_ENCRYPTION_KEYS_OLD; each entry must be 64 hex digits. */
export function parseOldKeys(value: string | undefined): Buffer[] {
  if (!value) return [];
  return value.split(",").map((raw, i) => {
    const key = raw.trim();
    if (!/^[0-9a-fA-F]{64}$/.test(key)) {
      throw new ConfigError(`invalid environment:\n  CERT_ENCRYPTION_KEYS_OLD: entry ${i + 1} is not 64 hex digits`);
    }
    return Buffer.from(key, "hex");
  });
}
