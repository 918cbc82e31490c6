import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { env as imageEnv, last, parseDockerfile, stage } from "./support/dockerfile.js";
import { cloudflaredConfig, masterSettingNames, operatorOverlay, secretReferences } from "./support/k8s.js";
import { K8sSchemas } from "./support/k8s-schema.js";
import { containers, find, kustomize, podSpec, render, type K8sObject } from "./support/kustomize.js";
import { copyK8sTree, K8S, ROOT } from "./support/paths.js";

const schemas = new K8sSchemas();
const NAMESPACE = "ha-master";
const OURS = /^registry\.example\.com\/ha-master\/(master|frontend):[\w.-]+$/;
const PINNED = /^[a-z0-9][a-z0-9./_-]*:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$/;

/** What an installation can look like: our overlays, and operator overlays adding components. */
const VARIANTS: Record<string, () => string> = {
  "overlays/single": () => join(K8S, "overlays/single"),
  "overlays/ha": () => join(K8S, "overlays/ha"),
  "single + cloudflare-tunnel": () => operatorOverlay("single", ["cloudflare-tunnel"]),
  "ha + cloudflare-tunnel + grpc-loadbalancer + own-ca": () => operatorOverlay("ha", ["cloudflare-tunnel", "grpc-loadbalancer", "own-ca"]),
};
const rendered = new Map<string, K8sObject[]>();
function objectsOf(variant: string): K8sObject[] {
  let objects = rendered.get(variant);
  if (!objects) {
    objects = render(VARIANTS[variant]!());
    rendered.set(variant, objects);
  }
  return objects;
}
const variants = Object.keys(VARIANTS);

const masterImage = stage(parseDockerfile(join(ROOT, "Dockerfile.master")), "runtime");
const frontendImage = stage(parseDockerfile(join(ROOT, "Dockerfile.frontend")), "runtime");
const uidOf = (s: typeof masterImage) => Number(last(s, "USER")!.args[0]!.split(":")[0]);

function masterContainer(objects: K8sObject[]): any {
  return podSpec(find(objects, "Deployment", "ha-master")).containers.find((c: any) => c.name === "master");
}
function configMap(objects: K8sObject[], prefix: string): K8sObject {
  const found = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith(`${prefix}-`));
  expect(found, `one ConfigMap ${prefix}-<hash>`).toHaveLength(1);
  return found[0]!;
}

describe("Kubernetes manifests (kustomize build, validated offline against Kubernetes 1.30)", () => {
  it.each(variants)("%s: renders, and every object is valid for its kind (unknown fields are errors)", (variant) => {
    const objects = objectsOf(variant);
    expect(objects.length).toBeGreaterThan(5);
    expect(objects.flatMap((o) => schemas.problems(o))).toEqual([]);
  });

  it("the schema check catches what the API server would refuse", () => {
    const deployment = structuredClone(find(objectsOf("overlays/single"), "Deployment", "ha-master"));
    const c = deployment.spec.template.spec.containers[0];
    c.readinessProbes = c.readinessProbe; // misspelt field
    c.ports[0].containerPort = "eighty"; // wrong type
    delete deployment.spec.selector; // required
    const problems = schemas.problems(deployment).join("\n");
    expect(problems).toMatch(/must NOT have additional properties \(readinessProbes\)/);
    expect(problems).toMatch(/containerPort must be number/);
    expect(problems).toMatch(/must have required property 'selector'/);
  });

  it.each(variants)("%s: everything in one namespace, no Secret with values, workloads non-root with read-only file systems", (variant) => {
    const objects = objectsOf(variant);
    expect(objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name)).toEqual([NAMESPACE]);
    for (const o of objects.filter((x) => x.kind !== "Namespace")) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(NAMESPACE);
      expect(o.metadata.labels?.["app.kubernetes.io/part-of"], `${o.kind}/${o.metadata.name} label`).toBe("ha-master");
    }
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    for (const { workload, container } of containers(objects)) {
      const where = `${workload.metadata.name}/${container.name}`;
      expect(podSpec(workload).securityContext?.runAsNonRoot, where).toBe(true);
      expect(container.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(container.resources?.requests?.memory, where).toBeTruthy();
      expect(container.resources?.limits?.memory, where).toBeTruthy();
      expect(container.image, where).toMatch(new RegExp(`${OURS.source}|${PINNED.source}`));
    }
  });

  it.each(variants)("%s: Services select existing pods on named ports those pods have; generated names are referenced with their hash", (variant) => {
    const objects = objectsOf(variant);
    const pods = objects.filter((o) => podSpec(o)).map((o) => ({ o, labels: o.spec.template.metadata.labels as Record<string, string> }));
    for (const svc of objects.filter((o) => o.kind === "Service")) {
      const selected = pods.filter((p) => Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => p.labels[k] === v));
      expect(selected.map((p) => p.o.metadata.name), `Service ${svc.metadata.name}`).toHaveLength(1);
      const portNames = podSpec(selected[0]!.o).containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
      for (const port of svc.spec.ports) expect(portNames, `Service ${svc.metadata.name} port ${port.name}`).toContain(port.targetPort);
    }
    for (const w of objects.filter((o) => podSpec(o))) {
      const labels = w.spec.template.metadata.labels as Record<string, string>;
      expect(Object.entries(w.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v), `${w.metadata.name} selector`).toBe(true);
    }
    const configMaps = objects.filter((o) => o.kind === "ConfigMap").map((o) => o.metadata.name);
    for (const { workload, container } of containers(objects)) {
      for (const from of container.envFrom ?? []) expect(configMaps, workload.metadata.name).toContain(from.configMapRef.name);
      for (const v of podSpec(workload).volumes ?? []) if (v.configMap) expect(configMaps, workload.metadata.name).toContain(v.configMap.name);
    }
  });

  it.each(variants)("%s: the master gets only settings it knows, its ports from them, and probes on /health (startup, liveness) and /ready (readiness)", (variant) => {
    const objects = objectsOf(variant);
    const known = masterSettingNames();
    const settings = configMap(objects, "ha-master-config").data!;
    const master = masterContainer(objects);
    const names = [...Object.keys(settings), ...master.env.map((e: { name: string }) => e.name)];
    expect(names.filter((n) => !known.includes(n))).toEqual([]);
    const port = (name: string) => master.ports.find((p: { name: string }) => p.name === name).containerPort;
    expect(port("http")).toBe(Number(settings.HTTP_PORT));
    expect(port("grpc")).toBe(Number(settings.GRPC_PORT));
    expect(master.startupProbe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(master.livenessProbe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(master.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http" });
    expect(master.args).toEqual(["serve"]);

    // The pod runs as the image's user, with the image's data directory on a volume.
    const pod = podSpec(find(objects, "Deployment", "ha-master"));
    expect(pod.securityContext.runAsUser).toBe(uidOf(masterImage));
    expect(master.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(expect.arrayContaining(["/tmp", imageEnv(masterImage).HAMASTER_DATA_DIR]));
    const init = pod.initContainers.find((c: any) => c.name === "wait-for-database");
    expect(init.image).toBe(master.image);

    // The console's nginx finds the master's Service, and runs as its image's user.
    const frontend = podSpec(find(objects, "Deployment", "ha-master-frontend"));
    expect(frontend.securityContext.runAsUser).toBe(uidOf(frontendImage));
    const upstream = frontend.containers[0].env.find((e: { name: string }) => e.name === "HAMASTER_UPSTREAM").value as string;
    const svc = find(objects, "Service", "ha-master");
    expect(upstream).toBe(`${svc.metadata.name}:${svc.spec.ports.find((p: { name: string }) => p.name === "http").port}`);
  });

  it("overlays/single: one master and PostgreSQL on a volume claim; its storage class is set by editing one line", () => {
    const objects = objectsOf("overlays/single");
    expect(find(objects, "Deployment", "ha-master").spec.replicas).toBe(1);
    const pg = find(objects, "StatefulSet", "ha-master-postgres");
    expect(pg.spec.replicas).toBe(1);
    expect(pg.spec.template.spec.containers[0].image).toMatch(PINNED);
    expect(pg.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("10Gi");
    expect(pg.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
    expect(find(objects, "Service", "ha-master-postgres").spec.clusterIP).toBe("None");
    expect(secretReferences(objects)).toEqual(
      ["ha-master-admin/password?", "ha-master-database/url", "ha-master-postgres/password", "ha-master-postgres/username", "ha-master-secrets/cert-encryption-key", "ha-master-secrets/jwt-secret"],
    );

    const tree = copyK8sTree();
    const file = join(tree, "overlays/single/postgres-storage.yaml");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# storageClassName: fast-ssd");
    writeFileSync(file, text.replace("# storageClassName: fast-ssd", "storageClassName: fast-ssd"));
    expect(find(render(join(tree, "overlays/single")), "StatefulSet", "ha-master-postgres").spec.volumeClaimTemplates[0].spec.storageClassName).toBe("fast-ssd");
  });

  it("overlays/ha: two masters on different nodes, disruption budgets that still let a node drain, no database of its own", () => {
    const objects = objectsOf("overlays/ha");
    expect(objects.some((o) => o.kind === "StatefulSet")).toBe(false);
    for (const name of ["ha-master", "ha-master-frontend"]) {
      const d = find(objects, "Deployment", name);
      expect(d.spec.replicas, name).toBeGreaterThanOrEqual(2);
      const labels = d.spec.template.metadata.labels as Record<string, string>;
      const pdb = find(objects, "PodDisruptionBudget", name);
      expect(pdb.spec.selector.matchLabels, name).toEqual(d.spec.selector.matchLabels);
      expect(pdb.spec.minAvailable, name).toBeLessThan(d.spec.replicas);
      const anti = d.spec.template.spec.affinity.podAntiAffinity;
      const term = anti.requiredDuringSchedulingIgnoredDuringExecution?.[0] ?? anti.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
      expect(term.topologyKey).toBe("kubernetes.io/hostname");
      expect(Object.entries(term.labelSelector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v), name).toBe(true);
    }
    const master = find(objects, "Deployment", "ha-master");
    expect(master.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    // A surge pod could not be scheduled on a two-node cluster with the required anti-affinity.
    expect(master.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(secretReferences(objects)).toEqual(["ha-master-admin/password?", "ha-master-database/url", "ha-master-secrets/cert-encryption-key", "ha-master-secrets/jwt-secret"]);
  });

  it("the agents' gRPC port is a NodePort by default, join commands name that port, and the load balancer component turns it into a LoadBalancer", () => {
    const base = objectsOf("overlays/single");
    const grpc = find(base, "Service", "ha-master-grpc");
    expect(grpc.spec.type).toBe("NodePort");
    const nodePort = grpc.spec.ports[0].nodePort as number;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const settings = configMap(base, "ha-master-config").data!;
    expect(settings.GRPC_PUBLIC_ADDRESS).toBe(`${settings.GRPC_PUBLIC_HOSTNAMES!.split(",")[0]}:${nodePort}`);

    const lb = find(objectsOf("ha + cloudflare-tunnel + grpc-loadbalancer + own-ca"), "Service", "ha-master-grpc");
    expect(lb.spec.type).toBe("LoadBalancer");
    expect(lb.spec.ports).toEqual([{ name: "grpc", port: 8443, protocol: "TCP", targetPort: "grpc" }]);
  });

  it("cloudflare-tunnel: two cloudflared replicas route one host name to the console's Service and everything else to 404", () => {
    const objects = objectsOf("single + cloudflare-tunnel");
    const tunnel = find(objects, "Deployment", "cloudflared");
    expect(tunnel.spec.replicas).toBe(2);
    const config = cloudflaredConfig(objects);
    const frontend = find(objects, "Service", "ha-master-frontend");
    expect(config.ingress).toEqual([
      { hostname: expect.stringMatching(/^[a-z0-9.-]+$/), service: `http://${frontend.metadata.name}:${frontend.spec.ports[0].port}` },
      { service: "http_status:404" },
    ]);
    const pod = podSpec(tunnel);
    const mounts = pod.containers[0].volumeMounts as { name: string; mountPath: string }[];
    const credentials = mounts.find((m) => m.name === "credentials")!;
    expect(config["credentials-file"]).toBe(`${credentials.mountPath}/credentials.json`);
    const configMount = mounts.find((m) => m.name === "config")!;
    expect(pod.containers[0].args).toEqual(["tunnel", "--config", `${configMount.mountPath}/config.yaml`, "run"]);
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: "/ready", port: "metrics" });
    expect(config.metrics).toBe(`0.0.0.0:${pod.containers[0].ports[0].containerPort}`);
    expect(secretReferences(objects)).toContain("cloudflared-credentials/*");
    // cloudflared is one more proxy in front of the master.
    expect(configMap(objects, "ha-master-config").data!.TRUST_PROXY_HOPS).toBe("2");
    expect(configMap(objectsOf("overlays/single"), "ha-master-config").data!.TRUST_PROXY_HOPS).toBe("1");
  });

  it("own-ca: the master reads the CA's certificate and key from the ha-master-ca secret", () => {
    const objects = objectsOf("ha + cloudflare-tunnel + grpc-loadbalancer + own-ca");
    const master = masterContainer(objects);
    const env = Object.fromEntries(master.env.filter((e: any) => e.value).map((e: any) => [e.name, e.value]));
    const mount = master.volumeMounts.find((m: { name: string }) => m.name === "own-ca");
    expect(mount.readOnly).toBe(true);
    expect(env.HAMASTER_CA_CERT_FILE).toBe(`${mount.mountPath}/ca.crt`);
    expect(env.HAMASTER_CA_KEY_FILE).toBe(`${mount.mountPath}/ca.key`);
    expect(secretReferences(objects)).toEqual(expect.arrayContaining(["ha-master-ca/ca.crt", "ha-master-ca/ca.key"]));
  });

  it("the base's image list is in the layout `kustomize edit set image` writes, so the pipeline's commits change only tags", () => {
    const tree = copyK8sTree();
    const file = join(tree, "base/kustomization.yaml");
    const before = readFileSync(file, "utf8");
    const images = parse(before).images as { name: string; newName: string; newTag: string }[];
    expect(images.map((i) => i.name)).toEqual(["ha-master/frontend", "ha-master/master"]);
    for (const i of images) kustomize(["edit", "set", "image", `${i.name}=${i.newName}:${i.newTag}`], join(tree, "base"));
    expect(readFileSync(file, "utf8")).toBe(before);

    kustomize(["edit", "set", "image", "ha-master/master=registry.example.com/ha-master/master:abc1234"], join(tree, "base"));
    const after = readFileSync(file, "utf8");
    const changed = after.split("\n").filter((l, i) => l !== before.split("\n")[i]);
    expect(changed).toEqual(["  newTag: abc1234"]);
    const master = masterContainer(render(join(tree, "overlays/ha")));
    expect(master.image).toBe("registry.example.com/ha-master/master:abc1234");
  });

  it("the Argo CD Application is valid, syncs automatically with prune and self-heal, and points at an overlay that renders", () => {
    const app = parse(readFileSync(join(K8S, "argocd/application.yaml"), "utf8")) as K8sObject;
    expect(schemas.problems(app)).toEqual([]);
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.destination.namespace).toBe(NAMESPACE);
    expect(app.metadata.namespace).toBe("argocd");
    expect(app.spec.source.path).toMatch(/^deploy\/k8s\/overlays\//);
    const overlay = `overlays/${app.spec.source.path.slice("deploy/k8s/overlays/".length)}`;
    expect((variants.includes(overlay) ? objectsOf(overlay) : render(join(ROOT, app.spec.source.path))).length).toBeGreaterThan(5);
  });
});
