import { unwrap, type Schemas } from "@ha-master/api-client";
import type { Command } from "commander";
import { connect, globalOptions, print, printJson, type CliContext } from "../context.js";
import { renderFields, renderTable, type Column } from "../format/table.js";
import { formatAge, formatTimestamp } from "../format/time.js";

type Cluster = Schemas["Cluster"];

/** The columns of `hactl cluster list`. */
export function clusterColumns(now: number): Column<Cluster>[] {
  return [
    { header: "name", cell: (c) => c.name },
    { header: "latest", cell: (c) => (c.latestVersion ? `v${c.latestVersion}` : "-"), align: "right" },
    { header: "deployed", cell: (c) => (c.desiredVersion ? `v${c.desiredVersion}` : "-"), align: "right" },
    { header: "nodes", cell: (c) => String(c.nodeCount), align: "right" },
    { header: "created", cell: (c) => formatAge(c.createdAt, now) },
    { header: "description", cell: (c) => c.description, maxWidth: 60 },
  ];
}

/** `hactl cluster list|create|show`. */
export function registerClusterCommands(program: Command, ctx: CliContext): void {
  const cluster = program.command("cluster").alias("clusters").description("list, create and show clusters");

  cluster
    .command("list")
    .alias("ls")
    .description("list clusters with their latest and deployed config versions")
    .action(async (_opts: unknown, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const { items } = unwrap(await api.GET("/api/v1/clusters"));
      if (globalOptions(cmd).output === "json") return printJson(ctx, items);
      if (items.length === 0) return print(ctx, "No clusters yet. Create one with: hactl cluster create NAME");
      print(ctx, renderTable(clusterColumns(ctx.now()), items));
    });

  cluster
    .command("create <name>")
    .description("create a cluster (name: lower-case letters, digits and dashes)")
    .option("--description <text>", "what the cluster is for")
    .action(async (name: string, opts: { description?: string }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const created = unwrap(await api.POST("/api/v1/clusters", { body: { name, ...(opts.description === undefined ? {} : { description: opts.description }) } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, created);
      print(ctx, `Created cluster ${created.name}. Next: hactl config apply -c ${created.name} -f haproxy.cfg`);
    });

  cluster
    .command("show <name>")
    .description("show one cluster")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const c = unwrap(await api.GET("/api/v1/clusters/{cluster}", { params: { path: { cluster: name } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, c);
      print(
        ctx,
        renderFields([
          ["name", c.name],
          ["id", c.id],
          ["description", c.description || "-"],
          ["latest version", c.latestVersion ? String(c.latestVersion) : "none"],
          ["deployed version", c.desiredVersion === null ? "none" : String(c.desiredVersion)],
          ["nodes", String(c.nodeCount)],
          ["created", formatTimestamp(c.createdAt)],
        ]),
      );
    });
}
