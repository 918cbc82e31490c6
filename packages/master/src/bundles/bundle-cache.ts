import type { Db } from "../db/store.js";
import type { Keyring } from "../crypto/secret-box.js";
import { findVersion } from "../configs/configs-dal.js";
import { buildBundle, type Bundle } from "./bundle-builder.js";
import { AppError } from "@ha-master/shared";

const TTL_MS = 5_000;

/**
 * Bundles by (cluster, version), built once and shared while a rollout pushes the same bundle to
 * many nodes: a thousand agents asking at once cause one build. Entries live a few seconds, so a
 * replaced certificate shows up in the next build; callers compare hashes with what a deployment
 * pinned.
 */
export function bundleCache(deps: { store: { readonly db: Db }; keyring: Keyring; ttlMs?: number }) {
  const entries = new Map<string, { at: number; bundle: Promise<Bundle> }>();
  const ttl = deps.ttlMs ?? TTL_MS;

  async function build(clusterId: string, version: number): Promise<Bundle> {
    const row = await findVersion(deps.store.db, clusterId, version);
    if (!row) throw new AppError("not_found", `config version ${version} does not exist`);
    return buildBundle(deps.store.db, deps.keyring, row.content);
  }

  return {
    forVersion(clusterId: string, version: number, { fresh = false } = {}): Promise<Bundle> {
      const key = `${clusterId}:${version}`;
      const hit = entries.get(key);
      if (hit && !fresh && Date.now() - hit.at < ttl) return hit.bundle;
      const bundle = build(clusterId, version);
      entries.set(key, { at: Date.now(), bundle });
      bundle.catch(() => entries.delete(key));
      if (entries.size > 1000) entries.delete(entries.keys().next().value!);
      return bundle;
    },
    /** The bundle of a version, checked against the hash a deployment pinned. */
    async pinned(clusterId: string, version: number, expectedHash: string): Promise<Bundle> {
      let bundle = await this.forVersion(clusterId, version);
      if (bundle.hash !== expectedHash) bundle = await this.forVersion(clusterId, version, { fresh: true });
      if (bundle.hash !== expectedHash) {
        throw new AppError(
          "conflict",
          `the bundle of version ${version} changed since the deployment was created (a certificate it uses was replaced); start a new deployment`,
        );
      }
      return bundle;
    },
  };
}

export type BundleCache = ReturnType<typeof bundleCache>;
