import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseEnv, type Env } from "../config/env.js";
import { readSecretsFile, resolveSettings, writeSecretsFile } from "../config/secrets.js";
import { createKeyring, keyIdOf } from "../crypto/secret-box.js";
import { certificateAuthorities } from "../db/schema.js";
import { openStore } from "../db/store.js";
import { rotateEncryptionKey } from "./rotate-encryption-key.js";

const CA_KEY = "-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n";

describe("ha-master rotate-encryption-key --generate (embedded)", () => {
  let dataDir: string;
  let env: Env;
  let oldKey: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "hamaster-rotate-"));
    env = parseEnv({ HAMASTER_DATA_DIR: dataDir });
    oldKey = randomBytes(32).toString("hex");
    await writeSecretsFile(dataDir, { jwtSecret: randomBytes(48).toString("base64url"), encryptionKey: oldKey });
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Every file of the data directory's top level with its bytes (PGlite's own folder aside). */
  async function snapshot(): Promise<Record<string, string>> {
    const entries = await readdir(dataDir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    return Object.fromEntries(await Promise.all(files.map(async (f) => [f, (await readFile(join(dataDir, f))).toString("base64")])));
  }

  /** Stores CA rows sealed as given, the way a master would have. */
  async function storeCaRows(rows: { ciphertext: Buffer; keyId: string; active: boolean }[]): Promise<void> {
    const store = openStore({ kind: "embedded", dataDir });
    try {
      await store.opened;
      for (const { ciphertext, keyId, active } of rows) {
        await store.db.insert(certificateAuthorities).values({ certPem: "cert", keyCiphertext: ciphertext, keyId, source: "generated", active });
      }
    } finally {
      await store.close();
    }
  }

  it("refuses while a master holds the data directory, and writes no key", async () => {
    // A live process other than this one holds the lock, as a running master would.
    await writeFile(join(dataDir, "ha-master.lock"), `${process.ppid}\n`);
    const before = await snapshot();
    await expect(rotateEncryptionKey(env, ["--generate"])).rejects.toThrow(/in use by another ha-master/);
    expect(await snapshot()).toEqual(before);
  });

  it("re-encrypts every row under a new key and only then forgets the old one", async () => {
    const jwtSecret = (await readSecretsFile(dataDir))!.jwtSecret;
    await storeCaRows([{ ...createKeyring(Buffer.from(oldKey, "hex")).seal(CA_KEY), active: true }]);

    expect(await rotateEncryptionKey(env, ["--generate"])).toBe(0);

    const secrets = (await readSecretsFile(dataDir))!;
    expect(secrets).toEqual({ jwtSecret, encryptionKey: expect.not.stringMatching(oldKey) });
    const store = openStore({ kind: "embedded", dataDir });
    try {
      await store.opened;
      const [row] = await store.db.select().from(certificateAuthorities);
      const newKey = Buffer.from(secrets.encryptionKey, "hex");
      expect(row!.keyId).toBe(keyIdOf(newKey));
      expect(createKeyring(newKey).open(row!.keyCiphertext, row!.keyId).toString()).toBe(CA_KEY);
    } finally {
      await store.close();
    }
  });

  it("keeps the old key readable when the rotation fails midway", async () => {
    const readable = { ...createKeyring(Buffer.from(oldKey, "hex")).seal(CA_KEY), active: true };
    // A row under a key nobody has stops the re-encryption after the new key was written.
    const lost = { ...createKeyring(randomBytes(32)).seal("x"), active: false };
    await storeCaRows([readable, lost]);

    await expect(rotateEncryptionKey(env, ["--generate"])).rejects.toThrow(/neither CERT_ENCRYPTION_KEY nor in CERT_ENCRYPTION_KEYS_OLD/);

    expect((await readSecretsFile(dataDir))!.previousEncryptionKeys).toEqual([oldKey]);
    const settings = await resolveSettings(env);
    const keyring = createKeyring(settings.encryptionKey, settings.oldEncryptionKeys);
    expect(keyring.open(readable.ciphertext, readable.keyId).toString()).toBe(CA_KEY);
  });
});
