import { X509Certificate, createPrivateKey, type webcrypto } from "node:crypto";
import { isIP } from "node:net";
import { AppError } from "@ha-master/shared";
import { EC_SIGN, generateKeyPair, privateKeyPem, randomSerial, signingAlgorithmOf, withNewline, x509 } from "./x509.js";

const DAY_MS = 86_400_000;
/** Certificates are valid from a little in the past, to absorb clock skew between hosts. */
const BACKDATE_MS = 5 * 60_000;

/** A CA able to sign: its certificate and its private key. */
export interface SigningCa {
  certPem: string;
  cert: X509Certificate;
  key: webcrypto.CryptoKey;
}

/** A new self-signed CA (ECDSA P-256, 10 years), for agents and the gRPC server. */
export async function createCa(name = "HA-Master internal CA"): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${name}`,
    keys,
    signingAlgorithm: EC_SIGN,
    notBefore: new Date(Date.now() - BACKDATE_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: withNewline(cert.toString("pem")), keyPem: await privateKeyPem(keys.privateKey) };
}

/** The gRPC server's certificate for the names agents dial; its key is made here and kept in memory. */
export async function issueServerCertificate(
  ca: SigningCa,
  hostnames: readonly string[],
  validDays = 30,
): Promise<{ certPem: string; keyPem: string; notAfter: Date }> {
  const keys = await generateKeyPair();
  const notAfter = new Date(Date.now() + validDays * DAY_MS);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${hostnames[0] ?? "ha-master"}`,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - BACKDATE_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: signingAlgorithmOf(ca.key),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hostnames.map((h) => (isIP(h) ? { type: "ip", value: h } : { type: "dns", value: h }))),
    ],
  });
  return { certPem: withNewline(cert.toString("pem")), keyPem: await privateKeyPem(keys.privateKey), notAfter };
}

/**
 * Signs a node's CSR: the certificate names the node by its id (CN), is for client
 * authentication only, and lives `validMs`. The CSR's own subject is ignored — the master decides
 * who the node is — but its signature must prove the requester holds the key.
 */
export async function signNodeCsr(
  ca: SigningCa,
  csrPem: string,
  nodeId: string,
  validMs: number,
): Promise<{ certPem: string; serial: string; notAfter: Date }> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new AppError("bad_request", "csr_pem is not a PEM PKCS#10 certificate request");
  }
  if (!(await csr.verify())) throw new AppError("bad_request", "the CSR's signature does not verify: it was not made with its key");
  const serial = randomSerial();
  const notAfter = new Date(Date.now() + validMs);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${nodeId}, O=ha-master node`,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - BACKDATE_MS),
    notAfter,
    publicKey: csr.publicKey,
    signingKey: ca.key,
    signingAlgorithm: signingAlgorithmOf(ca.key),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: `urn:ha-master:node:${nodeId}` }]),
    ],
  });
  return { certPem: withNewline(cert.toString("pem")), serial, notAfter };
}

/** Thrown at start when an operator-provided CA or server certificate is unusable. */
export class CaConfigError extends Error {
  override readonly name = "CaConfigError";
}

/**
 * Checks what an operator brought: the CA key matches the CA certificate, which is a CA; the
 * server key matches the server certificate, which the CA issued and signed. Each refusal says
 * exactly which of these failed.
 */
export function checkProvidedCa(input: { caCertPem: string; caKeyPem: string; serverCertPem?: string; serverKeyPem?: string }): void {
  const caCert = parseCert(input.caCertPem, "the CA certificate");
  if (!caCert.ca) throw new CaConfigError("the CA certificate is not a CA certificate (basicConstraints CA:TRUE is missing)");
  if (!caCert.checkPrivateKey(parseKey(input.caKeyPem, "the CA key"))) {
    throw new CaConfigError("the CA key does not match the CA certificate");
  }
  if (input.serverCertPem === undefined && input.serverKeyPem === undefined) return;
  if (!input.serverCertPem || !input.serverKeyPem) {
    throw new CaConfigError("give both the gRPC server certificate and its key, or neither (then the CA issues one)");
  }
  const serverCert = parseCert(input.serverCertPem, "the gRPC server certificate");
  if (!serverCert.checkPrivateKey(parseKey(input.serverKeyPem, "the gRPC server key"))) {
    throw new CaConfigError("the gRPC server key does not match the gRPC server certificate");
  }
  if (!serverCert.checkIssued(caCert) || !serverCert.verify(caCert.publicKey)) {
    throw new CaConfigError(
      `the gRPC server certificate (issuer ${oneLine(serverCert.issuer)}) is not signed by the given CA (${oneLine(caCert.subject)}); agents would refuse it`,
    );
  }
}

function parseCert(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new CaConfigError(`${what} is not a PEM certificate`);
  }
}

function parseKey(pem: string, what: string) {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new CaConfigError(`${what} is not a PEM private key (unencrypted)`);
  }
}

function oneLine(dn: string): string {
  return dn.split("\n").join(", ");
}
