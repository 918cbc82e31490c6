import { AppError, notFound } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import { referencedCertificates } from "../bundles/bundle-refs.js";
import { latestVersionsOfAllClusters, versionsInUse } from "../configs/configs-dal.js";
import type { Keyring } from "../crypto/secret-box.js";
import type { RequestContext } from "../lib/context.js";
import { iso } from "../lib/time.js";
import { parseCertificateUpload, type ParsedCertificate } from "./certificate-fns.js";
import * as dal from "./certificates-dal.js";
import type { CertificateDetail, CertificateUsage, CertificateView } from "./certificates-types.js";

const DAY_MS = 86_400_000;

function toView(row: dal.CertificateRow, now = Date.now()): CertificateView {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    issuer: row.issuer,
    sans: row.sans,
    serialNumber: row.serialNumber,
    fingerprintSha256: row.fingerprintSha256,
    keyAlgorithm: row.keyAlgorithm,
    notBefore: iso(row.notBefore)!,
    notAfter: iso(row.notAfter)!,
    daysLeft: Math.floor((row.notAfter.getTime() - now) / DAY_MS),
    chainLength: row.chainLength,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    bundlePath: `certs/${row.name}.pem`,
  };
}

/** The audit summary of a certificate: public facts only, never key material. */
function auditFacts(p: { subject: string; serialNumber: string; fingerprintSha256: string; notAfter: Date | string }) {
  return { subject: p.subject, serialNumber: p.serialNumber, fingerprintSha256: p.fingerprintSha256, notAfter: p.notAfter };
}

/**
 * TLS certificates for HAProxy. The private key is checked against the certificate, encrypted
 * with AES-256-GCM under the current key before it is stored, and never returned or logged; only
 * the bundle builder decrypts it, to hand it to the nodes.
 */
export function certificatesServiceFactory(deps: { store: { readonly db: Db }; keyring: Keyring }) {
  const { store, keyring } = deps;

  async function require(db: Db, ref: string): Promise<dal.CertificateRow> {
    const row = await dal.findCertificate(db, ref);
    if (!row) throw notFound("certificate", ref);
    return row;
  }

  async function usage(db: Db): Promise<Map<string, CertificateUsage[]>> {
    const byName = new Map<string, CertificateUsage[]>();
    for (const latest of await versionsInUse(db)) {
      const refs = referencedCertificates(latest.content);
      const add = (name: string, lines: number[]) =>
        byName.set(name, [...(byName.get(name) ?? []), { clusterId: latest.clusterId, clusterName: latest.clusterName, version: latest.version, lines }]);
      for (const [name, lines] of refs.names) add(name, lines);
      if (refs.wholeDirectoryLines.length > 0) add("*", refs.wholeDirectoryLines);
    }
    return byName;
  }

  function stored(parsed: ParsedCertificate) {
    const { ciphertext, keyId } = keyring.seal(parsed.keyPem);
    return { certPem: parsed.chainPem, keyCiphertext: ciphertext, keyId, ...parsed.info };
  }

  return {
    async list(): Promise<CertificateView[]> {
      const now = Date.now();
      return (await dal.listCertificates(store.db)).map((r) => toView(r, now));
    },

    async get(ref: string): Promise<CertificateDetail> {
      const row = await require(store.db, ref);
      const uses = await usage(store.db);
      return { ...toView(row), certPem: row.certPem, usedBy: [...(uses.get(row.name) ?? []), ...(uses.get("*") ?? [])], warnings: [] };
    },

    async create(ctx: RequestContext, input: { name: string; certPem: string; keyPem: string }): Promise<CertificateDetail> {
      const parsed = parseCertificateUpload(input.certPem, input.keyPem);
      return store.db.transaction(async (tx) => {
        const row = await dal.insertCertificate(tx, { name: input.name, createdBy: ctx.actor.id, ...stored(parsed) });
        if (!row) throw new AppError("conflict", `a certificate named ${JSON.stringify(input.name)} already exists; replace it with PUT to renew it`);
        await insertAudit(tx, ctx, {
          action: "certificate.create",
          targetType: "certificate",
          targetId: row.id,
          targetName: row.name,
          after: auditFacts(parsed.info),
        });
        return { ...toView(row), certPem: row.certPem, usedBy: [], warnings: parsed.warnings };
      });
    },

    /** Renews a certificate in place: configs keep referencing it by name. */
    async replace(ctx: RequestContext, ref: string, input: { certPem: string; keyPem: string }): Promise<CertificateDetail> {
      const parsed = parseCertificateUpload(input.certPem, input.keyPem);
      return store.db.transaction(async (tx) => {
        const before = await require(tx, ref);
        const row = await dal.replaceCertificate(tx, before.id, stored(parsed));
        await insertAudit(tx, ctx, {
          action: "certificate.replace",
          targetType: "certificate",
          targetId: before.id,
          targetName: before.name,
          before: auditFacts(before),
          after: auditFacts(parsed.info),
        });
        return { ...toView(row!), certPem: row!.certPem, usedBy: [], warnings: parsed.warnings };
      });
    },

    /**
     * Refused while a config version in use references the certificate: a cluster's newest (the
     * next deployment would fail) or its deployed one (a node reconnecting could not converge).
     */
    async remove(ctx: RequestContext, ref: string): Promise<void> {
      await store.db.transaction(async (tx) => {
        const row = await require(tx, ref);
        const users = (await usage(tx)).get(row.name) ?? [];
        if (users.length > 0) {
          // An entry older than its cluster's newest version is the deployed one.
          const newest = new Map((await latestVersionsOfAllClusters(tx)).map((v) => [v.clusterId, v.version]));
          const where = users
            .map((u) => `${u.clusterName} v${u.version} line ${u.lines.join(", ")}${u.version < (newest.get(u.clusterId) ?? 0) ? " (deployed)" : ""}`)
            .join("; ");
          throw new AppError("conflict", `certificate ${row.name} is referenced by the current config of: ${where}`, { usedBy: users });
        }
        await dal.deleteCertificate(tx, row.id);
        await insertAudit(tx, ctx, {
          action: "certificate.delete",
          targetType: "certificate",
          targetId: row.id,
          targetName: row.name,
          before: auditFacts(row),
        });
      });
    },

    /** Re-encrypts every private key not yet under the current key (a key rotation's work). */
    async reencryptKeys(ctx: RequestContext): Promise<number> {
      return store.db.transaction(async (tx) => {
        const rows = await dal.certificatesNotUnderKey(tx, keyring.currentId);
        for (const row of rows) {
          const { ciphertext, keyId } = keyring.seal(keyring.open(row.keyCiphertext, row.keyId));
          await dal.setCertificateKey(tx, row.id, ciphertext, keyId);
        }
        if (rows.length > 0) {
          await insertAudit(tx, ctx, {
            action: "certificate.reencrypt",
            targetType: "certificate",
            after: { count: rows.length, keyId: keyring.currentId },
          });
        }
        return rows.length;
      });
    },
  };
}

export type CertificatesService = ReturnType<typeof certificatesServiceFactory>;
