import { waitFor } from "../../support/processes.js";
import type { MasterProcess } from "../../support/master-process.js";

/** What the master's join command carries, split into its parts. */
export interface JoinParams {
  master: string;
  token: string;
  caHash: string;
  joinCommand: string;
}

async function ok(master: MasterProcess, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await master.api(token, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a cluster and an enrolment token for it (through the REST API, as an operator would). */
export async function clusterWithToken(master: MasterProcess, token: string, name: string, uses = 1): Promise<JoinParams & { clusterId: string }> {
  const cluster = await ok(master, token, "POST", "/api/v1/clusters", { name });
  const enrol = await ok(master, token, "POST", "/api/v1/enrollment-tokens", { clusterId: cluster.id, uses });
  const parts = (enrol.joinCommand as string).split(/\s+/);
  const arg = (flag: string) => parts[parts.indexOf(flag) + 1]!;
  return { clusterId: cluster.id, master: arg("--master"), token: enrol.token, caHash: arg("--ca-hash"), joinCommand: enrol.joinCommand };
}

/** An HAProxy config that answers every request on `port` itself (no backend needed). */
export function answeringConfig(port: number, body = "ok"): string {
  return [
    "global",
    "  log stdout format raw local0",
    "defaults",
    "  mode http",
    "  timeout connect 5s",
    "  timeout client 30s",
    "  timeout server 30s",
    "frontend answer",
    `  bind 127.0.0.1:${port}`,
    `  http-request return status 200 content-type text/plain string ${body}`,
    "",
  ].join("\n");
}

/** Saves a config version and deploys it; returns the deployment. */
export async function deployConfig(master: MasterProcess, token: string, cluster: string, content: string): Promise<any> {
  const list = await ok(master, token, "GET", `/api/v1/clusters/${cluster}/configs`);
  const base = (list.items as { version: number }[]).reduce((m, v) => Math.max(m, v.version), 0);
  const saved = await ok(master, token, "POST", `/api/v1/clusters/${cluster}/configs`, { content, message: "packaging test", baseVersion: base });
  return ok(master, token, "POST", `/api/v1/clusters/${cluster}/deployments`, { version: saved.version });
}

export async function waitForNode(master: MasterProcess, token: string, name: string, check: (node: any) => boolean = (n) => n.online, timeoutMs = 30_000): Promise<any> {
  return waitFor(
    `node ${name}`,
    async () => {
      const nodes = await ok(master, token, "GET", "/api/v1/nodes");
      const node = (nodes.items as any[]).find((n) => n.name === name);
      return node && check(node) ? node : undefined;
    },
    timeoutMs,
  );
}

export async function waitForDeployment(master: MasterProcess, token: string, cluster: string, id: string, statuses: string[], timeoutMs = 30_000): Promise<any> {
  return waitFor(
    `deployment ${id} to be ${statuses.join(" or ")}`,
    async () => {
      const d = await ok(master, token, "GET", `/api/v1/clusters/${cluster}/deployments/${id}`);
      return statuses.includes(d.status) ? d : undefined;
    },
    timeoutMs,
  );
}
