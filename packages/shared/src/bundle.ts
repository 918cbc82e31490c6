import { sha256Hex } from "./hash.js";

/** One file of a bundle, with its path relative to the release directory. */
export interface BundleFile {
  path: string;
  content: Uint8Array;
  /** Unix permission bits; private keys are 0o600. */
  mode: number;
}

/** The name of the HAProxy configuration inside every bundle. */
export const BUNDLE_CONFIG_PATH = "haproxy.cfg";

/** Where certificates live inside a bundle; configs reference them as `certs/<name>.pem`. */
export const BUNDLE_CERT_DIR = "certs";

const SAFE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._\/-]+$/;

/**
 * Checks that a bundle path is relative, normalised and cannot escape the release directory.
 * Both sides call it: the master before sending, the agent before writing.
 */
export function isSafeBundlePath(path: string): boolean {
  return path.length > 0 && path.length <= 255 && SAFE_PATH.test(path) && !path.includes("//");
}

/**
 * The content hash of a bundle: SHA-256 over the canonical file list. Files are sorted by path;
 * each contributes `path`, its mode in octal and the SHA-256 of its content, one line each, so the
 * hash is independent of the order the files were given in and of how they are transported.
 */
export function bundleHash(files: readonly Pick<BundleFile, "path" | "content" | "mode">[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path}\t${(f.mode & 0o777).toString(8)}\t${sha256Hex(f.content)}\n`);
  return sha256Hex(lines.join(""));
}
