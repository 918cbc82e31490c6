import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { containers, podSpec, type K8sObject } from "./kustomize.js";
import { copyK8sTree, ROOT } from "./paths.js";

/**
 * An operator's overlay on top of one of ours, with components, in a copy of deploy/k8s
 * (what docs/deploy-kubernetes.md tells them to write). Returns its directory.
 */
export function operatorOverlay(base: "single" | "ha", components: string[]): string {
  const tree = copyK8sTree();
  const dir = join(tree, "overlays", "mine");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "kustomization.yaml"),
    [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "namespace: ha-master",
      "resources:",
      `  - ../${base}`,
      ...(components.length > 0 ? ["components:", ...components.map((c) => `  - ../../components/${c}`)] : []),
      "",
    ].join("\n"),
  );
  return dir;
}

/** The names of the master's settings: the keys of envSchema in packages/master/src/config/env.ts. */
export function masterSettingNames(): string[] {
  const source = readFileSync(join(ROOT, "packages/master/src/config/env.ts"), "utf8");
  const body = /export const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1];
  if (!body) throw new Error("envSchema not found in packages/master/src/config/env.ts");
  const names = [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
  if (names.length < 10) throw new Error(`only ${names.length} settings found in env.ts: ${names.join(", ")}`);
  return names;
}

/** Secrets as the cluster would hold them: name -> key -> value (bytes). */
export type SecretStore = Map<string, Map<string, Buffer>>;

/** Reads Secret manifests (data in base64, stringData as is). */
export function secretStore(objects: K8sObject[]): SecretStore {
  const store: SecretStore = new Map();
  for (const o of objects.filter((x) => x.kind === "Secret")) {
    const entries = new Map<string, Buffer>();
    for (const [k, v] of Object.entries((o.data as Record<string, string> | undefined) ?? {})) entries.set(k, Buffer.from(v, "base64"));
    for (const [k, v] of Object.entries((o.stringData as Record<string, string> | undefined) ?? {})) entries.set(k, Buffer.from(v, "utf8"));
    store.set(o.metadata.name, entries);
  }
  return store;
}

/**
 * The environment the kubelet gives a container: envFrom ConfigMaps, then env entries (values,
 * ConfigMap and Secret references; a missing optional reference is left out, a missing required
 * one is an error, as it keeps the pod from starting).
 */
export function containerEnv(objects: K8sObject[], container: any, secrets: SecretStore): Record<string, string> {
  const configMap = (name: string) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === name);
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const cm = configMap(from.configMapRef?.name);
    if (!cm) throw new Error(`envFrom: no ConfigMap ${from.configMapRef?.name}`);
    Object.assign(env, cm.data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const value = secrets.get(ref.name)?.get(ref.key);
      if (value === undefined) {
        if (ref.optional) continue;
        throw new Error(`${e.name}: secret ${ref.name} has no key ${ref.key}`);
      }
      env[e.name] = value.toString("utf8");
    } else if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      const value = configMap(ref.name)?.data?.[ref.key];
      if (value === undefined) throw new Error(`${e.name}: ConfigMap ${ref.name} has no key ${ref.key}`);
      env[e.name] = value;
    } else throw new Error(`${e.name}: unsupported env source`);
  }
  return env;
}

/** Every secret a rendering needs, as "name/key" ("name/key?" when optional). */
export function secretReferences(objects: K8sObject[]): string[] {
  const refs = new Set<string>();
  for (const { workload, container } of containers(objects)) {
    for (const e of container.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) refs.add(`${ref.name}/${ref.key}${ref.optional ? "?" : ""}`);
    }
    for (const v of podSpec(workload).volumes ?? []) {
      if (!v.secret) continue;
      const keys: string[] = v.secret.items?.map((i: { key: string }) => i.key) ?? ["*"];
      for (const k of keys) refs.add(`${v.secret.secretName}/${k}${v.secret.optional ? "?" : ""}`);
    }
  }
  return [...refs].sort();
}

/** The cloudflared config the rendered ConfigMap carries. */
export function cloudflaredConfig(objects: K8sObject[]): { tunnel: string; "credentials-file": string; metrics: string; ingress: { hostname?: string; service: string }[] } {
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("cloudflared-config"));
  if (!cm?.data?.["config.yaml"]) throw new Error("no cloudflared-config ConfigMap with config.yaml");
  return parse(cm.data["config.yaml"]);
}
