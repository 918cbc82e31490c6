import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { caPin } from "@ha-master/shared";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { certificateAuthorities } from "../db/schema.js";
import type { Keyring } from "../crypto/secret-box.js";
import { insertAudit } from "../audit/audit-dal.js";
import { systemContext } from "../lib/context.js";
import { CaConfigError, checkProvidedCa, createCa, issueServerCertificate, signNodeCsr, type SigningCa } from "./ca-fns.js";
import { importSigningKey } from "./x509.js";

export interface CaFiles {
  HAMASTER_CA_CERT_FILE?: string;
  HAMASTER_CA_KEY_FILE?: string;
  GRPC_TLS_CERT_FILE?: string;
  GRPC_TLS_KEY_FILE?: string;
}

/** The gRPC server's TLS identity: its chain (leaf then CA, so agents can pin the CA) and key. */
export interface ServerIdentity {
  chainPem: string;
  keyPem: string;
  notAfter: Date;
}

/**
 * The internal CA: signs node certificates from CSRs and the gRPC server's certificate. Either
 * generated on the first start — its key encrypted in the database like certificate keys, one CA
 * for every replica — or brought by the operator as files (secrets), checked before use.
 */
export class CertificateAuthority {
  private constructor(
    private readonly ca: SigningCa,
    private readonly providedServer: ServerIdentity | undefined,
    readonly source: "generated" | "provided",
  ) {}

  /** The CA certificate, PEM. */
  get certPem(): string {
    return this.ca.certPem;
  }

  /** The pin join commands carry (`sha256:` of the CA's public key). */
  get pin(): string {
    return caPin(this.ca.cert);
  }

  /** Loads the CA: the operator's files when configured, else the database's, else a new one. */
  static async load(deps: { db: Db; keyring: Keyring; files: CaFiles }): Promise<CertificateAuthority> {
    const { files } = deps;
    const wantsOwn = files.HAMASTER_CA_CERT_FILE || files.HAMASTER_CA_KEY_FILE;
    if (wantsOwn) return CertificateAuthority.fromFiles(files);
    refuseServerCertificateWithoutCa(files);
    const row = await loadOrCreateGenerated(deps.db, deps.keyring);
    const keyPem = deps.keyring.open(row.keyCiphertext, row.keyId).toString("utf8");
    return new CertificateAuthority(
      { certPem: row.certPem, cert: new X509Certificate(row.certPem), key: await importSigningKey(keyPem) },
      undefined,
      "generated",
    );
  }

  /**
   * Checks an operator's CA files (when configured) without the database, so a wrong file stops
   * the start at once instead of after the database has opened and migrated.
   */
  static async checkFiles(files: CaFiles): Promise<void> {
    if (files.HAMASTER_CA_CERT_FILE || files.HAMASTER_CA_KEY_FILE) await CertificateAuthority.fromFiles(files);
    else refuseServerCertificateWithoutCa(files);
  }

  private static async fromFiles(files: CaFiles): Promise<CertificateAuthority> {
    if (!files.HAMASTER_CA_CERT_FILE || !files.HAMASTER_CA_KEY_FILE) {
      throw new CaConfigError("set both HAMASTER_CA_CERT_FILE and HAMASTER_CA_KEY_FILE to bring your own CA");
    }
    const read = async (path: string | undefined, what: string) => {
      if (!path) return undefined;
      try {
        return await readFile(path, "utf8");
      } catch (err) {
        throw new CaConfigError(`cannot read ${what} from ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    };
    const caCertPem = (await read(files.HAMASTER_CA_CERT_FILE, "the CA certificate"))!;
    const caKeyPem = (await read(files.HAMASTER_CA_KEY_FILE, "the CA key"))!;
    const serverCertPem = await read(files.GRPC_TLS_CERT_FILE, "the gRPC server certificate");
    const serverKeyPem = await read(files.GRPC_TLS_KEY_FILE, "the gRPC server key");
    checkProvidedCa({ caCertPem, caKeyPem, serverCertPem, serverKeyPem });
    const cert = new X509Certificate(caCertPem);
    const server =
      serverCertPem && serverKeyPem
        ? {
            chainPem: chain(serverCertPem, caCertPem),
            keyPem: serverKeyPem,
            notAfter: new Date(new X509Certificate(serverCertPem).validTo),
          }
        : undefined;
    return new CertificateAuthority({ certPem: caCertPem, cert, key: await importSigningKey(caKeyPem) }, server, "provided");
  }

  /** The server identity: the operator's certificate, or a fresh one issued for `hostnames`. */
  async serverIdentity(hostnames: readonly string[]): Promise<ServerIdentity> {
    if (this.providedServer) return this.providedServer;
    const issued = await issueServerCertificate(this.ca, hostnames);
    return { chainPem: chain(issued.certPem, this.ca.certPem), keyPem: issued.keyPem, notAfter: issued.notAfter };
  }

  /** Signs a node's CSR; the certificate's CN is the node id. */
  signNode(csrPem: string, nodeId: string, validMs: number) {
    return signNodeCsr(this.ca, csrPem, nodeId, validMs);
  }
}

/** A server certificate alone would be silently ignored: the internal CA issues its own. */
function refuseServerCertificateWithoutCa(files: CaFiles): void {
  if (files.GRPC_TLS_CERT_FILE || files.GRPC_TLS_KEY_FILE) {
    throw new CaConfigError(
      "GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE need HAMASTER_CA_CERT_FILE and HAMASTER_CA_KEY_FILE: agents trust one CA, the one that signs them and the server certificate",
    );
  }
}

function chain(leafPem: string, caPem: string): string {
  const nl = (p: string) => (p.endsWith("\n") ? p : `${p}\n`);
  return nl(leafPem) + nl(caPem);
}

// Any constant works, as long as every replica uses the same one.
const CA_CREATION_LOCK = 7_245_002;

/** The active generated CA; the first replica to start creates it, the others wait and read it. */
async function loadOrCreateGenerated(db: Db, keyring: Keyring) {
  const active = async (tx: Db) =>
    (await tx.select().from(certificateAuthorities).where(eq(certificateAuthorities.active, true)).limit(1))[0];
  const existing = await active(db);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CA_CREATION_LOCK})`);
    const again = await active(tx);
    if (again) return again;
    const ca = await createCa();
    const sealed = keyring.seal(ca.keyPem);
    const [row] = await tx
      .insert(certificateAuthorities)
      .values({ certPem: ca.certPem, keyCiphertext: sealed.ciphertext, keyId: sealed.keyId, source: "generated" })
      .returning();
    await insertAudit(tx, systemContext(), {
      action: "ca.create",
      targetType: "ca",
      targetId: row!.id,
      after: { pin: caPin(ca.certPem), subject: new X509Certificate(ca.certPem).subject },
    });
    return row!;
  });
}
