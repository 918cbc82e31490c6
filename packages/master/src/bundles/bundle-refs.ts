import { BUNDLE_CERT_DIR, certificateRefs, parseConfig } from "@ha-master/shared";

/** How a config refers to stored certificates. */
export interface CertificateReferences {
  /** Certificate names referenced one by one (`crt certs/vault.pem` → `vault`), with their lines. */
  names: Map<string, number[]>;
  /** Lines that load the whole directory (`crt certs/`): every stored certificate goes in. */
  wholeDirectoryLines: number[];
}

const FILE_REF = new RegExp(`^${BUNDLE_CERT_DIR}/([A-Za-z0-9][A-Za-z0-9._-]*)\\.pem$`);
const DIR_REF = new RegExp(`^${BUNDLE_CERT_DIR}/?$`);

/**
 * Finds the stored certificates a config needs in its bundle: references under `certs/`
 * (resolved next to the config with `default-path config`). Other paths are node-local files.
 */
export function referencedCertificates(content: string): CertificateReferences {
  const names = new Map<string, number[]>();
  const wholeDirectoryLines: number[] = [];
  for (const ref of certificateRefs(parseConfig(content))) {
    if (DIR_REF.test(ref.path)) {
      wholeDirectoryLines.push(ref.line);
      continue;
    }
    const name = FILE_REF.exec(ref.path)?.[1];
    if (!name) continue;
    names.set(name, [...(names.get(name) ?? []), ref.line]);
  }
  return { names, wholeDirectoryLines };
}
