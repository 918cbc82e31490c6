import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fsyncDir, writeFileAtomic } from "./atomic-fs.js";
import type { AgentIdentity, Credentials, StateStore } from "./state-store.js";

/** The state directory when none is given. */
export const DEFAULT_STATE_DIR = "/var/lib/ha-agent";

const KEY = "key.pem";
const CERT = "cert.pem";
const CA = "ca.pem";
const IDENTITY = "agent.json";
// A renewal writes these first and renames them over key.pem/cert.pem; see saveRenewed.
const NEXT = ".next";

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch(() => undefined);
}

/** True when `certPem` certifies the public half of `keyPem`. */
export function certMatchesKey(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/**
 * The state directory on disk: key.pem (0600), cert.pem, ca.pem, agent.json. Every write is
 * atomic (temp file, fsync, rename, fsync of the directory).
 */
export class FileStateStore implements StateStore {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  async isEnrolled(): Promise<boolean> {
    return (await this.readIdentity()) !== undefined && (await this.readCredentials()) !== undefined;
  }

  async readIdentity(): Promise<AgentIdentity | undefined> {
    const text = await readText(this.file(IDENTITY));
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as AgentIdentity;
    } catch {
      throw new Error(`${this.file(IDENTITY)} is not valid JSON; re-enrol with "ha-agent join --force"`);
    }
  }

  async readCredentials(): Promise<Credentials | undefined> {
    await this.finishRenewal();
    const [keyPem, certPem, caPem] = await Promise.all([KEY, CERT, CA].map((n) => readText(this.file(n))));
    if (keyPem === undefined || certPem === undefined || caPem === undefined) return undefined;
    return { keyPem, certPem, caPem };
  }

  async saveEnrolment(identity: AgentIdentity, credentials: Credentials): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await rm(this.file(IDENTITY), { force: true });
    await writeFileAtomic(this.file(KEY), credentials.keyPem, 0o600);
    await writeFileAtomic(this.file(CERT), credentials.certPem, 0o644);
    await writeFileAtomic(this.file(CA), credentials.caPem, 0o644);
    await writeFileAtomic(this.file(IDENTITY), `${JSON.stringify(identity, null, 2)}\n`, 0o644);
  }

  /**
   * Key and certificate must change together: both are written as `.next` files first, then
   * renamed key first, certificate second. A crash between the renames leaves a new key with
   * the old certificate; `finishRenewal` completes the pair on the next read.
   */
  async saveRenewed(credentials: Credentials): Promise<void> {
    await writeFileAtomic(this.file(KEY + NEXT), credentials.keyPem, 0o600);
    await writeFileAtomic(this.file(CERT + NEXT), credentials.certPem, 0o644);
    await writeFileAtomic(this.file(CA), credentials.caPem, 0o644);
    await rename(this.file(KEY + NEXT), this.file(KEY));
    await rename(this.file(CERT + NEXT), this.file(CERT));
    await fsyncDir(this.dir);
  }

  // Rolls an interrupted renewal forward when the new pair is complete, and drops it otherwise.
  private async finishRenewal(): Promise<void> {
    const nextCert = await readText(this.file(CERT + NEXT));
    if (nextCert === undefined) {
      await rm(this.file(KEY + NEXT), { force: true });
      return;
    }
    const nextKey = await readText(this.file(KEY + NEXT));
    const key = nextKey ?? (await readText(this.file(KEY)));
    if (key !== undefined && certMatchesKey(nextCert, key)) {
      if (nextKey !== undefined) await rename(this.file(KEY + NEXT), this.file(KEY));
      await rename(this.file(CERT + NEXT), this.file(CERT));
    } else {
      await rm(this.file(KEY + NEXT), { force: true });
      await rm(this.file(CERT + NEXT), { force: true });
    }
    await fsyncDir(this.dir);
  }
}
