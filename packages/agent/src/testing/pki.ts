// A throwaway CA for tests: a root, a server certificate for 127.0.0.1/localhost, and node
// certificates signed from CSRs, all with @peculiar/x509 (no openssl). Not part of the build.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { caPin } from "@ha-master/shared";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type Keys = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["keys"];
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIG = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY = 86_400_000;

async function newKeys(): Promise<Keys> {
  return (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as unknown as Keys;
}

// PEM with a final newline, so PEMs can be concatenated into chains.
const nl = (pem: string) => (pem.endsWith("\n") ? pem : `${pem}\n`);

async function keyPem(keys: Keys): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as unknown as webcrypto.CryptoKey);
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN PRIVATE KEY-----\n${nl(b64)}-----END PRIVATE KEY-----\n`;
}

/** A test CA that can issue server and node certificates. */
export interface TestCa {
  certPem: string;
  pin: string;
  issueServer(hosts?: { dns?: string[]; ip?: string[] }): Promise<{ certPem: string; keyPem: string }>;
  signCsr(csrPem: string, subjectCn: string, validMs?: number, notBefore?: Date): Promise<string>;
  /** A node certificate with a key made here (for agents that skip `join`). */
  issueNode(subjectCn: string, validMs?: number): Promise<{ certPem: string; keyPem: string }>;
}

export async function createTestCa(name = "HA-Master test CA"): Promise<TestCa> {
  const caKeys = await newKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys: caKeys,
    signingAlgorithm: SIG,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const issue = async (subject: string, publicKey: x509.PublicKeyType, ext: x509.Extension[], validMs: number, notBefore = new Date(Date.now() - 60_000)) =>
    nl(
      (
        await x509.X509CertificateGenerator.create({
        subject,
        issuer: ca.subject,
        publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: SIG,
        notBefore,
        notAfter: new Date(notBefore.getTime() + validMs),
        extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...ext],
      })
      ).toString("pem"),
    );
  const certPem = nl(ca.toString("pem"));
  return {
    certPem,
    pin: caPin(certPem),
    async issueServer(hosts = { dns: ["localhost"], ip: ["127.0.0.1"] }) {
      const keys = await newKeys();
      const names = [...(hosts.dns ?? []).map((value) => ({ type: "dns" as const, value })), ...(hosts.ip ?? []).map((value) => ({ type: "ip" as const, value }))];
      const cert = await issue("CN=ha-master", keys.publicKey, [
        new x509.SubjectAlternativeNameExtension(names),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ], 30 * DAY);
      return { certPem: cert, keyPem: await keyPem(keys) };
    },
    async signCsr(csrPem, subjectCn, validMs = 30 * DAY, notBefore) {
      const csr = new x509.Pkcs10CertificateRequest(csrPem);
      if (!(await csr.verify())) throw new Error("CSR signature does not verify");
      return issue(`CN=${subjectCn}`, csr.publicKey, [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])], validMs, notBefore);
    },
    async issueNode(subjectCn, validMs = 30 * DAY) {
      const keys = await newKeys();
      const cert = await issue(`CN=${subjectCn}`, keys.publicKey, [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])], validMs);
      return { certPem: cert, keyPem: await keyPem(keys) };
    },
  };
}
