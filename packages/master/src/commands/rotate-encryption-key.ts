import { randomBytes } from "node:crypto";
import { insertAudit } from "../audit/audit-dal.js";
import { caRowsNotUnderKey, setCaKey } from "../ca/ca-dal.js";
import { certificatesServiceFactory } from "../certificates/certificates-service.js";
import { ConfigError, type Env } from "../config/env.js";
import { readSecretsFile, resolveSettings, writeSecretsFile } from "../config/secrets.js";
import { createKeyring, keyIdOf } from "../crypto/secret-box.js";
import { openStore } from "../db/store.js";
import { systemContext } from "../lib/context.js";

/**
 * `ha-master rotate-encryption-key`: re-encrypts every stored private key (certificates and the
 * internal CA) under the current CERT_ENCRYPTION_KEY, reading old rows with the keys in
 * CERT_ENCRYPTION_KEYS_OLD. In embedded mode with a generated key, `--generate` makes the new key
 * itself, once it holds the data directory (a master running there makes it refuse before writing
 * anything); the old key stays in the data directory until every row is re-encrypted, so a crash at
 * any point loses nothing.
 */
export async function rotateEncryptionKey(env: Env, args: string[]): Promise<number> {
  const generate = args.includes("--generate");
  const unknown = args.filter((a) => a !== "--generate");
  if (unknown.length > 0) throw new ConfigError(`rotate-encryption-key: unknown argument ${unknown[0]}`);
  if (generate && (env.DATABASE_URL || env.CERT_ENCRYPTION_KEY)) {
    throw new ConfigError(
      "--generate only applies to the embedded mode's generated key; with CERT_ENCRYPTION_KEY set, put the new key there and the old one in CERT_ENCRYPTION_KEYS_OLD",
    );
  }
  if (generate && !(await readSecretsFile(env.HAMASTER_DATA_DIR))) {
    throw new ConfigError(`no generated secrets in ${env.HAMASTER_DATA_DIR}: nothing to rotate`);
  }
  // The store first: in embedded mode opening it takes the data directory's lock, so a rotation
  // refused because a master runs there has written nothing (no new key, no generated secrets).
  const store = openStore(
    env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "embedded", dataDir: env.HAMASTER_DATA_DIR },
  );
  try {
    await store.opened;
    if (generate) {
      // The old key moves to previousEncryptionKeys and stays there until every row is re-encrypted.
      const secrets = (await readSecretsFile(env.HAMASTER_DATA_DIR))!;
      await writeSecretsFile(env.HAMASTER_DATA_DIR, {
        ...secrets,
        encryptionKey: randomBytes(32).toString("hex"),
        previousEncryptionKeys: [secrets.encryptionKey, ...(secrets.previousEncryptionKeys ?? [])],
      });
    }
    const settings = await resolveSettings(env);
    const keyring = createKeyring(settings.encryptionKey, settings.oldEncryptionKeys);
    const ctx = systemContext();
    const certificates = await certificatesServiceFactory({ store, keyring }).reencryptKeys(ctx);
    const authorities = await store.db.transaction(async (tx) => {
      const rows = await caRowsNotUnderKey(tx, keyring.currentId);
      for (const row of rows) {
        const sealed = keyring.seal(keyring.open(row.keyCiphertext, row.keyId));
        await setCaKey(tx, row.id, sealed.ciphertext, sealed.keyId);
      }
      if (rows.length > 0) {
        await insertAudit(tx, ctx, { action: "ca.reencrypt", targetType: "ca", after: { count: rows.length, keyId: keyring.currentId } });
      }
      return rows.length;
    });
    if (generate) {
      const secrets = (await readSecretsFile(settings.HAMASTER_DATA_DIR))!;
      await writeSecretsFile(settings.HAMASTER_DATA_DIR, { jwtSecret: secrets.jwtSecret, encryptionKey: secrets.encryptionKey });
    }
    process.stdout.write(
      `re-encrypted ${certificates} certificate keys and ${authorities} CA keys under key id ${keyIdOf(settings.encryptionKey)}\n` +
        (generate ? "" : "every key is now under CERT_ENCRYPTION_KEY: CERT_ENCRYPTION_KEYS_OLD can be removed\n"),
    );
    return 0;
  } finally {
    await store.close();
  }
}
