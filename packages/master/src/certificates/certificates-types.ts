/** A stored certificate as the API shows it. The private key is never part of any view. */
export interface CertificateView {
  id: string;
  name: string;
  subject: string;
  issuer: string;
  sans: string[];
  serialNumber: string;
  fingerprintSha256: string;
  keyAlgorithm: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  chainLength: number;
  createdAt: string;
  updatedAt: string;
  /** The path a config uses to reference it: `crt certs/<name>.pem`. */
  bundlePath: string;
}

export interface CertificateUsage {
  clusterId: string;
  clusterName: string;
  version: number;
  lines: number[];
}

export interface CertificateDetail extends CertificateView {
  certPem: string;
  usedBy: CertificateUsage[];
  warnings: string[];
}

/** Names become file names in the bundle (`certs/<name>.pem`): keep them plain. */
export const CERTIFICATE_NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$";
