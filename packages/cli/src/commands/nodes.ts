import { unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import { Option, type Command } from "commander";
import { connect, globalOptions, print, printJson, stdoutColours, type CliContext } from "../context.js";
import type { Colours } from "../format/colour.js";
import { renderFields, renderTable, type Column } from "../format/table.js";
import { formatAge, formatTimestamp } from "../format/time.js";
import { confirmOrAbort } from "../io/terminal.js";
import { pickByRef } from "./args.js";

type Node = Schemas["Node"];

/** A node's state in one word: revoked, offline, drift, out of sync, in sync. */
export function nodeState(n: Node, c: Colours): string {
  if (n.revokedAt) return c.dim("revoked");
  if (!n.online) return c.red("offline");
  if (n.drift) return c.yellow("drift");
  if (!n.haproxyRunning) return c.red("haproxy down");
  if (n.desiredVersion !== null && !n.inSync) return c.yellow("out of sync");
  return c.green("ok");
}

/** The columns of `hactl nodes list`. */
export function nodeColumns(now: number, c: Colours): Column<Node>[] {
  return [
    { header: "name", cell: (n) => n.name },
    { header: "cluster", cell: (n) => n.clusterName },
    { header: "state", cell: (n) => nodeState(n, c) },
    { header: "applied", cell: (n) => (n.appliedVersion === null ? "-" : `v${n.appliedVersion}`), align: "right" },
    { header: "desired", cell: (n) => (n.desiredVersion === null ? "-" : `v${n.desiredVersion}`), align: "right" },
    { header: "haproxy", cell: (n) => n.haproxyVersion || "-" },
    { header: "agent", cell: (n) => n.agentVersion || "-" },
    { header: "mode", cell: (n) => n.mode || "-" },
    { header: "last seen", cell: (n) => (n.online ? "now" : formatAge(n.lastSeenAt, now)) },
  ];
}

/** `hactl nodes list|show|revoke`. */
export function registerNodeCommands(program: Command, ctx: CliContext): void {
  const nodes = program.command("nodes").alias("node").description("list, show and revoke the HAProxy nodes (agents)");

  nodes
    .command("list")
    .alias("ls")
    .description("nodes with their state, applied version and versions (revoked nodes only with --all)")
    .addOption(new Option("-c, --cluster <name>", "only this cluster's nodes").env("HACTL_CLUSTER"))
    .option("--all", "include revoked nodes")
    .action(async (opts: { cluster?: string; all?: boolean }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const items = (await listNodes(api, opts.cluster)).filter((n) => opts.all || !n.revokedAt);
      if (globalOptions(cmd).output === "json") return printJson(ctx, items);
      if (items.length === 0) {
        const where = opts.cluster ? ` in cluster ${opts.cluster}` : "";
        return print(ctx, `No nodes${where} yet. Add one: hactl token create -c CLUSTER, then run the join command it prints on the HAProxy host.`);
      }
      print(ctx, renderTable(nodeColumns(ctx.now(), stdoutColours(ctx)), items));
    });

  nodes
    .command("show")
    .description("one node: state, versions, certificate, and its backend servers as HAProxy reports them")
    .argument("<node>", "its name or id")
    .addOption(new Option("-c, --cluster <name>", "look for the node in this cluster").env("HACTL_CLUSTER"))
    .action(async (ref: string, opts: { cluster?: string }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const n = pickByRef(await listNodes(api, opts.cluster), ref, (x) => x.name, "node");
      if (globalOptions(cmd).output === "json") return printJson(ctx, n);
      const c = stdoutColours(ctx);
      const now = ctx.now();
      print(
        ctx,
        renderFields([
          ["name", n.name],
          ["id", n.id],
          ["cluster", n.clusterName],
          ["state", nodeState(n, c)],
          ["last seen", n.online ? "now (connected)" : `${formatTimestamp(n.lastSeenAt)} (${formatAge(n.lastSeenAt, now)})`],
          ["applied version", n.appliedVersion === null ? "none" : `${n.appliedVersion} (bundle ${n.appliedHash.slice(0, 12) || "-"})`],
          ["desired version", n.desiredVersion === null ? "none" : String(n.desiredVersion)],
          ["in sync", n.inSync ? "yes" : "no"],
          ["drift", n.drift ? `yes: the files on disk (${n.diskHash.slice(0, 12)}) differ from what was applied` : "no"],
          ["haproxy", `${n.haproxyVersion || "unknown"}, ${n.haproxyRunning ? "running" : "not running"}${n.failedReloads ? `, ${n.failedReloads} failed reloads` : ""}`],
          ["agent", `${n.agentVersion || "unknown"} (${n.mode || "?"} mode)`],
          ["enrolled", formatTimestamp(n.enrolledAt)],
          ["certificate until", formatTimestamp(n.certNotAfter)],
          ...(n.revokedAt ? [["revoked", formatTimestamp(n.revokedAt)] as const] : []),
        ]),
      );
      if (n.servers.length > 0) {
        print(
          ctx,
          "\n" +
            renderTable(
              [
                { header: "backend", cell: (s: Node["servers"][number]) => s.proxy },
                { header: "server", cell: (s) => s.server },
                { header: "status", cell: (s) => (s.status.startsWith("UP") ? c.green(s.status) : s.status.startsWith("DOWN") ? c.red(s.status) : c.yellow(s.status)) },
                { header: "check", cell: (s) => s.checkStatus || "-" },
                { header: "weight", cell: (s) => String(s.weight), align: "right" },
                { header: "sessions", cell: (s) => String(s.currentSessions), align: "right" },
              ],
              n.servers,
            ),
        );
      }
    });

  nodes
    .command("revoke")
    .description("revoke a node: its stream is closed at once and its certificate refused from then on (asks first)")
    .argument("<node>", "its name or id")
    .addOption(new Option("-c, --cluster <name>", "look for the node in this cluster").env("HACTL_CLUSTER"))
    .option("-y, --yes", "revoke without asking")
    .action(async (ref: string, opts: { cluster?: string; yes?: boolean }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const n = pickByRef((await listNodes(api, opts.cluster)).filter((x) => !x.revokedAt), ref, (x) => x.name, "active node");
      if (!opts.yes) await confirmOrAbort(ctx.io, `Revoke node ${n.name} (${n.id}) of ${n.clusterName}? It will have to join again with a new token.`, "nothing was revoked");
      const revoked = unwrap(await api.POST("/api/v1/nodes/{id}/revoke", { params: { path: { id: n.id } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, revoked);
      print(ctx, `Revoked node ${revoked.name} of ${revoked.clusterName}. Its HAProxy keeps serving its last config; remove the agent from the host.`);
    });
}

async function listNodes(api: ApiClient, cluster: string | undefined): Promise<Node[]> {
  return unwrap(await api.GET("/api/v1/nodes", { params: { query: cluster ? { clusterId: cluster } : {} } })).items;
}
