import { BUNDLE_CONFIG_PATH, bundleHash, isSafeBundlePath } from "@ha-master/shared";
import type { Applier, ApplyResult, Bundle } from "../apply/applier.js";

/**
 * Checks a received bundle before anything is written: safe, unique paths, a haproxy.cfg, and
 * files that hash to the hash the master announced. Returns the reason it is refused, or undefined.
 */
export function receiveProblem(bundle: Bundle): string | undefined {
  const seen = new Set<string>();
  for (const f of bundle.files) {
    if (!isSafeBundlePath(f.path)) return `unsafe path ${JSON.stringify(f.path)} in bundle`;
    if (seen.has(f.path)) return `path ${JSON.stringify(f.path)} appears twice in bundle`;
    seen.add(f.path);
  }
  if (!seen.has(BUNDLE_CONFIG_PATH)) return `bundle has no ${BUNDLE_CONFIG_PATH}`;
  const actual = bundleHash(bundle.files);
  if (actual !== bundle.hash) return `bundle files hash to ${actual}, not to the announced ${bundle.hash}`;
  return undefined;
}

/**
 * Handles one Desired: refuse it at "receive", acknowledge it without touching HAProxy when
 * the node already runs exactly these files (applied hash and disk hash both match), or apply it.
 */
export async function handleDesired(applier: Applier, bundle: Bundle): Promise<ApplyResult> {
  const started = performance.now();
  const problem = receiveProblem(bundle);
  if (problem) return { ok: false, stage: "receive", error: problem, lines: [], durationMs: 0 };
  const current = await applier.current();
  if (current.hash === bundle.hash && current.diskHash === bundle.hash) {
    return { ok: true, durationMs: Math.round(performance.now() - started), reloaded: false };
  }
  return applier.apply(bundle);
}
