import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import type { K8sObject } from "./kustomize.js";
import { K8S } from "./paths.js";

/**
 * Validates objects against deploy/k8s/schemas/kubernetes-strict.json: Kubernetes 1.30 and
 * Argo CD's Application, strict (unknown fields are errors). See generate.mjs for where the
 * schemas come from.
 */
export class K8sSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  readonly kinds: string[];

  constructor(file = join(K8S, "schemas/kubernetes-strict.json")) {
    const schema = JSON.parse(readFileSync(file, "utf8")) as { kinds: Record<string, unknown> };
    this.kinds = Object.keys(schema.kinds);
    this.ajv.addSchema(schema, "k8s");
  }

  /** Problems as "Kind/name: /path message" lines; empty when the object is valid. */
  problems(o: K8sObject): string[] {
    const key = `${o.apiVersion}/${o.kind}`;
    const label = `${o.kind}/${o.metadata?.name}`;
    if (!this.kinds.includes(key)) return [`${label}: no schema for ${key} (add it to deploy/k8s/schemas/generate.mjs)`];
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.getSchema(`k8s#/kinds/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`)!;
      this.cache.set(key, validate);
    }
    if (validate(o)) return [];
    return (validate.errors ?? []).map((e) => `${label}: ${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
  }
}
