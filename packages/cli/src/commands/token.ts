import { unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import { Option, type Command } from "commander";
import { clusterOption, connect, globalOptions, note, print, printJson, stdoutColours, type CliContext } from "../context.js";
import { shortId } from "../format/audit.js";
import type { Colours } from "../format/colour.js";
import { renderTable, type Column } from "../format/table.js";
import { UsageError } from "../errors.js";
import { formatAge, formatDuration, formatTimestamp, requireDuration } from "../format/time.js";
import { parseCount, pickByRef } from "./args.js";

type Token = Schemas["EnrollmentToken"];

// What the server accepts (ttlSeconds 60 s … 30 days).
const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 30 * 86_400;

/** The columns of `hactl token list`. */
export function tokenColumns(now: number, c: Colours): Column<Token>[] {
  return [
    { header: "id", cell: (t) => shortId(t.id) },
    { header: "cluster", cell: (t) => t.clusterName },
    { header: "status", cell: (t) => (t.status === "active" ? c.green("active") : c.dim(t.status.replace("_", " "))) },
    { header: "uses", cell: (t) => `${t.useCount}/${t.maxUses}`, align: "right" },
    { header: "expires", cell: (t) => (Date.parse(t.expiresAt) > now ? formatAge(t.expiresAt, now) : `${formatTimestamp(t.expiresAt)}`) },
    { header: "created", cell: (t) => formatAge(t.createdAt, now) },
    { header: "description", cell: (t) => t.description, maxWidth: 50 },
  ];
}

/** `hactl token create|list|revoke`: the join tokens new nodes enrol with. */
export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command("token").alias("tokens").description("join tokens: create one and run the join command it prints on each HAProxy host");

  token
    .command("create")
    .description("create a join token for a cluster and print the ha-agent join command (the token is shown only this once)")
    .addOption(clusterOption())
    .option("--uses <count>", "how many nodes may join with it", "1")
    .option("--ttl <duration>", "how long it is valid: 15m, 1h, 2d (from 1m to 30d)", "1h")
    .option("--description <text>", "what it is for, shown in hactl token list")
    .action(async (opts: { cluster: string; uses: string; ttl: string; description?: string }, cmd: Command) => {
      const uses = parseCount(opts.uses, "--uses", 1000);
      const ttlSeconds = requireDuration(opts.ttl, "--ttl");
      if (ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) throw new UsageError(`--ttl must be from 1m to 30d, not ${JSON.stringify(opts.ttl)}`);
      const { api } = await connect(ctx, cmd);
      const created = unwrap(
        await api.POST("/api/v1/enrollment-tokens", {
          body: { clusterId: opts.cluster, uses, ttlSeconds, ...(opts.description === undefined ? {} : { description: opts.description }) },
        }),
      );
      if (globalOptions(cmd).output === "json") return printJson(ctx, created);
      // The command alone on stdout, so that `$(hactl token create …)` captures just it.
      note(
        ctx,
        `Join token ${shortId(created.id)} for cluster ${created.clusterName}: ${created.maxUses === 1 ? "one node" : `up to ${created.maxUses} nodes`}, ` +
          `valid for ${formatDuration(ttlSeconds * 1000)} (until ${formatTimestamp(created.expiresAt)}). Run this on each HAProxy host (shown once):`,
      );
      print(ctx, created.joinCommand);
    });

  token
    .command("list")
    .alias("ls")
    .description("join tokens (never the tokens themselves); expired, used-up and revoked ones only with --all")
    .addOption(new Option("-c, --cluster <name>", "only this cluster's tokens").env("HACTL_CLUSTER"))
    .option("--all", "include tokens that can no longer be used")
    .action(async (opts: { cluster?: string; all?: boolean }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const items = (await listTokens(api, opts.cluster)).filter((t) => opts.all || t.status === "active");
      if (globalOptions(cmd).output === "json") return printJson(ctx, items);
      if (items.length === 0) return print(ctx, `No ${opts.all ? "" : "active "}join tokens. Create one with: hactl token create -c CLUSTER`);
      print(ctx, renderTable(tokenColumns(ctx.now(), stdoutColours(ctx)), items));
    });

  token
    .command("revoke")
    .description("revoke a join token: no node can join with it any more (nodes that joined stay)")
    .argument("<id>", "its id, or the first characters of it (hactl token list)")
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const t = pickByRef(await listTokens(api, undefined), ref, (x) => shortId(x.id), "join token");
      const revoked = unwrap(await api.POST("/api/v1/enrollment-tokens/{id}/revoke", { params: { path: { id: t.id } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, revoked);
      print(ctx, `Revoked join token ${shortId(revoked.id)} of cluster ${revoked.clusterName} (${revoked.useCount} of ${revoked.maxUses} uses spent).`);
    });
}

async function listTokens(api: ApiClient, cluster: string | undefined): Promise<Token[]> {
  return unwrap(await api.GET("/api/v1/enrollment-tokens", { params: { query: cluster ? { clusterId: cluster } : {} } })).items;
}
