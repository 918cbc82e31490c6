import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificates, clusters } from "../db/schema.js";
import { createKeyring } from "../crypto/secret-box.js";
import { systemContext } from "../lib/context.js";
import { makeCertificate, type TestCertificate } from "../testing/pki.js";
import { httpConfig } from "../testing/fixtures.js";
import { startTestMaster, type TestMaster } from "../testing/test-master.js";
import { DATABASES } from "../testing/test-store.js";
import { certificatesServiceFactory } from "./certificates-service.js";
import { randomBytes } from "node:crypto";

describe.each(DATABASES)("certificates on %s", (kind) => {
  let m: TestMaster;
  let ca: TestCertificate;
  let vault: TestCertificate;
  beforeAll(async () => {
    m = await startTestMaster(kind);
    ca = await makeCertificate({ cn: "Test Root", ca: true });
    vault = await makeCertificate({ cn: "vault.example.test", sans: ["vault.example.test", "198.18.0.11"], issuer: ca });
  });
  afterAll(async () => {
    await m?.close();
  });

  const upload = (name: string, certPem: string, keyPem: string) =>
    m.request("admin", "POST", "/api/v1/certificates", { name, certPem, keyPem });

  it("stores a chain and key, shows its facts, and never returns the key", async () => {
    const res = await upload("vault", vault.certPem + ca.certPem, vault.keyPem);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "vault",
      subject: "CN=vault.example.test",
      issuer: "CN=Test Root",
      sans: ["vault.example.test", "198.18.0.11"],
      keyAlgorithm: "ECDSA prime256v1",
      chainLength: 2,
      bundlePath: "certs/vault.pem",
      warnings: [],
    });
    expect(res.body.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(res.body.daysLeft).toBeGreaterThan(80);
    const keyBody = vault.keyPem.split("\n")[1]!;
    for (const url of ["/api/v1/certificates", "/api/v1/certificates/vault", "/api/v1/audit?targetType=certificate"]) {
      const text = (await m.request("admin", "GET", url)).text;
      expect(text).not.toContain("PRIVATE KEY");
      expect(text).not.toContain(keyBody);
    }
  });

  it("keeps the key encrypted at rest under a key id", async () => {
    const [row] = await m.store.db.select().from(certificates).where(eq(certificates.name, "vault"));
    expect(row!.keyId).toBe(m.services.keyring.currentId);
    expect(row!.keyCiphertext.toString("latin1")).not.toContain("PRIVATE KEY");
    expect(m.services.keyring.open(row!.keyCiphertext, row!.keyId).toString()).toContain("BEGIN PRIVATE KEY");
  });

  it("refuses a key that does not match the certificate, saying so", async () => {
    const other = await makeCertificate({ cn: "other.example.test" });
    const res = await upload("mismatch", vault.certPem, other.keyPem);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("certificate_invalid");
    expect(res.body.error.message).toMatch(/private key does not match the certificate "CN=vault.example.test"/);
  });

  it("refuses garbage, a key in certPem, and an encrypted key with a clear message each", async () => {
    expect((await upload("g1", "not a pem", vault.keyPem)).body.error.message).toMatch(/no PEM certificate/);
    expect((await upload("g2", vault.certPem + vault.keyPem, vault.keyPem)).body.error.message).toMatch(/contains a private key/);
    const encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
    expect((await upload("g3", vault.certPem, encrypted)).body.error.message).toMatch(/encrypted with a passphrase/);
  });

  it("refuses a second certificate with the same name", async () => {
    const res = await upload("vault", vault.certPem, vault.keyPem);
    expect(res.status).toBe(409);
  });

  it("puts a referenced certificate into the bundle HAProxy checks, and refuses a config naming a missing one", async () => {
    await m.request("operator", "POST", "/api/v1/clusters", { name: "tls" });
    const tls = (name: string) =>
      httpConfig({ extra: `    bind :8443 ssl crt certs/${name}.pem\n` }).replace("global\n", "global\n    default-path config\n");
    const missing = await m.request("operator", "POST", "/api/v1/clusters/tls/configs", { content: tls("consul"), message: "m", baseVersion: 0 });
    expect(missing.status).toBe(422);
    const line = tls("consul").split("\n").findIndex((l) => l.includes("certs/consul.pem")) + 1;
    expect(missing.body.error.details.errors[0]).toMatchObject({ line, source: "bundle", code: "missing-certificate" });
    const ok = await m.request("operator", "POST", "/api/v1/clusters/tls/configs", { content: tls("vault"), message: "m", baseVersion: 0 });
    expect(ok.status).toBe(201);
    const detail = await m.request("viewer", "GET", "/api/v1/certificates/vault");
    expect(detail.body.usedBy).toEqual([{ clusterId: expect.any(String), clusterName: "tls", version: 1, lines: [line] }]);
    const del = await m.request("admin", "DELETE", "/api/v1/certificates/vault");
    expect(del.status).toBe(409);
    expect(del.body.error.message).toMatch(/tls v1 line/);
  });

  it("refuses to delete a certificate the deployed version needs, after the newest one dropped it", async () => {
    await m.request("operator", "POST", "/api/v1/clusters", { name: "cutover" });
    const upload1 = await upload("old-site", vault.certPem, vault.keyPem);
    expect(upload1.status).toBe(201);
    const withCert = httpConfig({ extra: "    bind :8443 ssl crt certs/old-site.pem\n" }).replace("global\n", "global\n    default-path config\n");
    const line = withCert.split("\n").findIndex((l) => l.includes("certs/old-site.pem")) + 1;
    expect((await m.request("operator", "POST", "/api/v1/clusters/cutover/configs", { content: withCert, message: "with", baseVersion: 0 })).status).toBe(201);
    expect((await m.request("operator", "POST", "/api/v1/clusters/cutover/configs", { content: httpConfig(), message: "without", baseVersion: 1 })).status).toBe(201);
    // v1 is what the cluster's nodes run (a deployment set it); v2 is saved, not deployed yet.
    await m.store.db.update(clusters).set({ desiredVersion: 1 }).where(eq(clusters.name, "cutover"));
    const del = await m.request("admin", "DELETE", "/api/v1/certificates/old-site");
    expect(del.status).toBe(409);
    expect(del.body.error.message).toBe(`certificate old-site is referenced by the current config of: cutover v1 line ${line} (deployed)`);
    await m.store.db.update(clusters).set({ desiredVersion: 2 }).where(eq(clusters.name, "cutover"));
    expect((await m.request("admin", "DELETE", "/api/v1/certificates/old-site")).status).toBe(204);
  });

  it("renews a certificate in place and audits old and new serials", async () => {
    const renewed = await makeCertificate({ cn: "vault.example.test", sans: ["vault.example.test"], issuer: ca });
    const res = await m.request("admin", "PUT", "/api/v1/certificates/vault", { certPem: renewed.certPem, keyPem: renewed.keyPem });
    expect(res.status).toBe(200);
    expect(res.body.serialNumber).toBe(renewed.cert.serialNumber.toLowerCase());
    const audit = await m.request("admin", "GET", "/api/v1/audit?action=certificate.replace");
    expect(audit.body.items[0].summary.before.serialNumber).toBe(vault.cert.serialNumber.toLowerCase());
  });

  it("re-encrypts every key under a new key, reading the old one during the rotation", async () => {
    const newKey = randomBytes(32);
    const rotated = createKeyring(newKey, [m.settings.encryptionKey]);
    const service = certificatesServiceFactory({ store: m.store, keyring: rotated });
    expect(await service.reencryptKeys(systemContext())).toBeGreaterThan(0);
    const rows = await m.store.db.select().from(certificates);
    for (const row of rows) {
      expect(row.keyId).toBe(rotated.currentId);
      expect(createKeyring(newKey).open(row.keyCiphertext, row.keyId).toString()).toContain("PRIVATE KEY");
    }
    expect(await service.reencryptKeys(systemContext())).toBe(0);
  });
});
