import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, parseOldKeys, publicHostnames, type Env, type Settings } from "./env.js";

/** Secrets the embedded mode generated for itself, kept in the data directory. */
export interface StoredSecrets {
  jwtSecret: string;
  encryptionKey: string;
  /** Keys a rotation is moving away from; present only while a rotation runs. */
  previousEncryptionKeys?: string[];
}

const SECRETS_FILE = "secrets.json";
const HEX_KEY = /^[0-9a-f]{64}$/;

/**
 * Resolves the secrets. With DATABASE_URL (production) every secret must come from the
 * environment, and a missing one stops the start. In embedded mode a missing secret is generated
 * once and kept in the data directory (0600), so restarts keep their sessions and keys.
 */
export async function resolveSettings(env: Env): Promise<Settings> {
  const mode = env.DATABASE_URL ? "postgres" : "embedded";
  const { JWT_SECRET, CERT_ENCRYPTION_KEY, GRPC_PUBLIC_HOSTNAMES: _names, ...rest } = env;
  let jwtSecret = JWT_SECRET;
  let encryptionKey = CERT_ENCRYPTION_KEY;
  const oldKeys = parseOldKeys(env.CERT_ENCRYPTION_KEYS_OLD);
  if (mode === "postgres") {
    const missing = [!jwtSecret && "JWT_SECRET", !encryptionKey && "CERT_ENCRYPTION_KEY"].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(
        `${missing.join(" and ")} must be set when DATABASE_URL is set: replicas must share them, so they cannot be ` +
          "generated. See docs/deploy-kubernetes.md, section Secrets.",
      );
    }
  } else if (!jwtSecret || !encryptionKey) {
    const stored = (await readSecretsFile(env.HAMASTER_DATA_DIR)) ?? (await createSecretsFile(env.HAMASTER_DATA_DIR));
    jwtSecret ??= stored.jwtSecret;
    if (!encryptionKey) {
      encryptionKey = stored.encryptionKey;
      oldKeys.push(...(stored.previousEncryptionKeys ?? []).map((k) => Buffer.from(k, "hex")));
    }
  }
  return Object.freeze({
    ...rest,
    mode,
    jwtSecret: jwtSecret!,
    encryptionKey: Buffer.from(encryptionKey!, "hex"),
    oldEncryptionKeys: oldKeys,
    grpcPublicHostnames: publicHostnames(env),
  });
}

/** The generated secrets, or undefined when there are none yet. */
export async function readSecretsFile(dataDir: string): Promise<StoredSecrets | undefined> {
  const path = join(dataDir, SECRETS_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StoredSecrets>;
  const previous = parsed.previousEncryptionKeys ?? [];
  if (typeof parsed.jwtSecret !== "string" || !HEX_KEY.test(parsed.encryptionKey ?? "") || !previous.every((k) => HEX_KEY.test(k))) {
    throw new ConfigError(`${path} is damaged: it must hold jwtSecret and a 64-hex-digit encryptionKey`);
  }
  return parsed as StoredSecrets;
}

/** Replaces the secrets file atomically (0600). */
export async function writeSecretsFile(dataDir: string, secrets: StoredSecrets): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRETS_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

async function createSecretsFile(dataDir: string): Promise<StoredSecrets> {
  const secrets = { jwtSecret: randomBytes(48).toString("base64url"), encryptionKey: randomBytes(32).toString("hex") };
  await writeSecretsFile(dataDir, secrets);
  return secrets;
}
