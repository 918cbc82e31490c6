import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { AppError } from "@ha-master/shared";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The keys private keys are encrypted under: one current key for writing, and earlier keys
 * still accepted for reading while a rotation runs. Every ciphertext names its key by id.
 */
export interface Keyring {
  readonly currentId: string;
  seal(plaintext: Uint8Array | string): { ciphertext: Buffer; keyId: string };
  open(ciphertext: Buffer, keyId: string): Buffer;
  has(keyId: string): boolean;
}

/** A key's id: derived from the key, so it needs no storage and reveals nothing about it. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("ha-master key id\0").update(key).digest("hex").slice(0, 16);
}

/** AES-256-GCM with a random 96-bit IV; the output is iv || tag || ciphertext. */
export function createKeyring(current: Buffer, old: readonly Buffer[] = []): Keyring {
  if (current.length !== 32) throw new Error("encryption key must be 32 bytes");
  const keys = new Map<string, Buffer>([...old, current].map((k) => [keyIdOf(k), k]));
  const currentId = keyIdOf(current);
  return {
    currentId,
    has: (keyId) => keys.has(keyId),
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(Buffer.from(currentId));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]), keyId: currentId };
    },
    open(ciphertext, keyId) {
      const key = keys.get(keyId);
      if (!key) {
        throw new AppError(
          "internal",
          `a private key is encrypted under key id ${keyId}, which is neither CERT_ENCRYPTION_KEY nor in CERT_ENCRYPTION_KEYS_OLD`,
        );
      }
      const iv = ciphertext.subarray(0, IV_BYTES);
      const tag = ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}
