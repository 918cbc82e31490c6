import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../support/processes.js";

export { ROOT };
export const DEPLOY = join(ROOT, "deploy");
export const K8S = join(DEPLOY, "k8s");

/** A scratch directory for one test (kept on failure for inspection, under the system temp dir). */
export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ha-master-pkg-${prefix}-`));
}

/** A copy of deploy/k8s to edit the way an operator or the pipeline would. */
export function copyK8sTree(): string {
  const dir = join(scratch("k8s"), "k8s");
  cpSync(K8S, dir, { recursive: true });
  return dir;
}
