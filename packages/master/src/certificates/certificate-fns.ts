import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { AppError } from "@ha-master/shared";

/** What HA-Master shows about a certificate; all public. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  sans: string[];
  serialNumber: string;
  fingerprintSha256: string;
  keyAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  chainLength: number;
}

export interface ParsedCertificate {
  info: CertificateInfo;
  /** The certificate chain, leaf first, normalised PEM. */
  chainPem: string;
  /** The private key as unencrypted PKCS#8 PEM. */
  keyPem: string;
  warnings: string[];
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function invalid(message: string): AppError {
  return new AppError("certificate_invalid", message);
}

/**
 * Parses an uploaded certificate chain and private key and checks that they belong together.
 * Every refusal says exactly what is wrong; the key itself never appears in a message.
 */
export function parseCertificateUpload(certPem: string, keyPem: string, now = new Date()): ParsedCertificate {
  const blocks = certPem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) throw invalid("certPem holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  if (/PRIVATE KEY-----/.test(certPem)) {
    throw invalid("certPem contains a private key; send the key in keyPem and only certificates in certPem");
  }
  const chain = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(`certificate ${i + 1} in certPem cannot be parsed`);
    }
  });
  const leaf = chain[0]!;
  const key = parsePrivateKey(keyPem);
  if (!leaf.checkPrivateKey(key)) {
    throw invalid(
      `the private key does not match the certificate ${describe(leaf)}: it belongs to another certificate (the first certificate in certPem must be the one the key was made for)`,
    );
  }
  const warnings: string[] = [];
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i]!.checkIssued(chain[i + 1]!)) {
      warnings.push(`certificate ${i + 2} in the chain did not issue certificate ${i + 1}; clients may fail to build the chain`);
    }
  }
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() < now.getTime()) warnings.push(`the certificate expired on ${notAfter.toISOString()}`);
  return {
    info: {
      subject: oneLine(leaf.subject),
      issuer: oneLine(leaf.issuer),
      sans: parseSans(leaf.subjectAltName),
      serialNumber: leaf.serialNumber.toLowerCase(),
      fingerprintSha256: leaf.fingerprint256,
      keyAlgorithm: describeKey(key),
      notBefore: new Date(leaf.validFrom),
      notAfter,
      chainLength: chain.length,
    },
    chainPem: chain.map((c) => c.toString().trim()).join("\n") + "\n",
    keyPem: key.export({ type: "pkcs8", format: "pem" }).toString(),
    warnings,
  };
}

function parsePrivateKey(keyPem: string): KeyObject {
  if (/ENCRYPTED/.test(keyPem)) {
    throw invalid("the private key is encrypted with a passphrase; HAProxy needs it unencrypted (openssl pkey -in key.pem -out plain.pem)");
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem)) {
    throw invalid("keyPem holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }
  try {
    return createPrivateKey({ key: keyPem, format: "pem" });
  } catch {
    throw invalid("the private key in keyPem cannot be parsed");
  }
}

function describe(cert: X509Certificate): string {
  return `${JSON.stringify(oneLine(cert.subject))} (serial ${cert.serialNumber.toLowerCase()})`;
}

function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "rsa") return `RSA ${d?.modulusLength ?? "?"}`;
  if (key.asymmetricKeyType === "ec") return `ECDSA ${d?.namedCurve ?? "?"}`;
  return (key.asymmetricKeyType ?? "unknown").toUpperCase();
}

/** `CN=a\nO=b` as `CN=a, O=b`. */
function oneLine(dn: string): string {
  return dn.split("\n").filter(Boolean).join(", ");
}

/** `DNS:a.example, IP Address:10.0.0.1` as `["a.example", "10.0.0.1"]`. */
export function parseSans(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address|email|URI):/, ""))
    .filter(Boolean);
}

/** The file HAProxy loads for `crt`: the chain followed by the key. */
export function haproxyPem(chainPem: string, keyPem: string): string {
  return `${chainPem.trimEnd()}\n${keyPem.trimEnd()}\n`;
}
