import {
  BUNDLE_CERT_DIR,
  BUNDLE_CONFIG_PATH,
  bundleHash,
  type BundleFile,
} from "@ha-master/shared";
import type { Db } from "../db/store.js";
import type { Keyring } from "../crypto/secret-box.js";
import * as certs from "../certificates/certificates-dal.js";
import { haproxyPem } from "../certificates/certificate-fns.js";
import { referencedCertificates } from "./bundle-refs.js";

/** A config's reference to a certificate that is not stored. */
export interface MissingCertificate {
  name: string;
  lines: number[];
}

export interface Bundle {
  files: BundleFile[];
  hash: string;
  missing: MissingCertificate[];
}

const encoder = new TextEncoder();

/**
 * Builds the bundle a node needs for a config: `haproxy.cfg` as stored, byte for byte, and every
 * certificate it references under `certs/` as chain + decrypted key (mode 0600). The same bundle
 * is what the master checks with `haproxy -c` and what agents receive.
 */
export async function buildBundle(db: Db, keyring: Keyring, content: string): Promise<Bundle> {
  const refs = referencedCertificates(content);
  const rows =
    refs.wholeDirectoryLines.length > 0
      ? await certs.listCertificates(db)
      : await certs.findCertificatesByName(db, [...refs.names.keys()]);
  const found = new Set(rows.map((r) => r.name));
  const missing = [...refs.names]
    .filter(([name]) => !found.has(name))
    .map(([name, lines]) => ({ name, lines }));
  const files: BundleFile[] = [{ path: BUNDLE_CONFIG_PATH, content: encoder.encode(content), mode: 0o644 }];
  for (const row of rows) {
    const keyPem = keyring.open(row.keyCiphertext, row.keyId).toString("utf8");
    files.push({ path: `${BUNDLE_CERT_DIR}/${row.name}.pem`, content: encoder.encode(haproxyPem(row.certPem, keyPem)), mode: 0o600 });
  }
  return { files, hash: bundleHash(files), missing };
}
