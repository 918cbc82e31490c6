import { unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import { Option, type Command } from "commander";
import { connect, globalOptions, print, printJson, type CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { auditDetails, auditTarget } from "../format/audit.js";
import { renderTable, type Column } from "../format/table.js";
import { formatTimestamp, parseTimeArg } from "../format/time.js";
import { parseCount } from "./args.js";

type AuditRecord = Schemas["AuditRecord"];
/** The filters of GET /api/v1/audit. */
interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

// The server's largest page; longer listings are fetched page by page.
const PAGE = 200;

/** The columns of `hactl audit`. */
export const auditColumns: Column<AuditRecord>[] = [
  { header: "time", cell: (r) => formatTimestamp(r.at) },
  { header: "actor", cell: (r) => r.actorName },
  { header: "action", cell: (r) => r.action },
  { header: "target", cell: (r) => auditTarget(r), maxWidth: 40 },
  { header: "details", cell: (r) => auditDetails(r) },
];

interface AuditOptions {
  actor?: string;
  action?: string;
  cluster?: string;
  targetType?: string;
  targetId?: string;
  since?: string;
  until?: string;
  limit: string;
  all?: boolean;
  requestIds?: boolean;
}

/** `hactl audit`: who changed what, newest first, with filters. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  program
    .command("audit")
    .description("show the audit log (newest first): logins, config versions, deployments, users, tokens, certificates")
    .option("--actor <user>", "only what this user did")
    .option("--action <action>", "only this action (config.create), or a family of them (config.*)")
    .addOption(new Option("-c, --cluster <name>", "only records about this cluster (its configs and settings)").conflicts(["targetType", "targetId"]))
    .option("--target-type <type>", "only records about this kind of object (cluster, user, node, certificate, …)")
    .option("--target-id <id>", "only records about the object with this id")
    .option("--since <time>", "from this time: a duration back from now (1h, 7d) or an ISO 8601 time")
    .option("--until <time>", "up to this time: a duration back from now or an ISO 8601 time")
    .option("-n, --limit <count>", "show at most this many records", "50")
    .option("--all", "show every matching record (pages through the whole log)")
    .option("--request-ids", "add a column with each record's request id")
    .action(async (opts: AuditOptions, cmd: Command) => {
      const limit = opts.all ? Number.POSITIVE_INFINITY : parseCount(opts.limit, "--limit");
      const now = ctx.now();
      const query: AuditQuery = {
        ...(opts.actor ? { actor: opts.actor } : {}),
        ...(opts.action ? { action: opts.action } : {}),
        ...(opts.targetType ? { targetType: opts.targetType } : {}),
        ...(opts.targetId ? { targetId: opts.targetId } : {}),
        ...(opts.since ? { from: parseTimeArg(opts.since, "--since", now) } : {}),
        ...(opts.until ? { to: parseTimeArg(opts.until, "--until", now) } : {}),
      };
      if (query.from && query.to && query.from > query.to) throw new UsageError("--since is later than --until");
      const { api } = await connect(ctx, cmd);
      if (opts.cluster) {
        const cluster = unwrap(await api.GET("/api/v1/clusters/{cluster}", { params: { path: { cluster: opts.cluster } } }));
        query.targetType = "cluster";
        query.targetId = cluster.id;
      }
      const records = await fetchAudit(api, query, limit);
      if (globalOptions(cmd).output === "json") return printJson(ctx, records);
      if (records.length === 0) return print(ctx, "No audit records match.");
      const columns = opts.requestIds ? [...auditColumns, { header: "request id", cell: (r: AuditRecord) => r.requestId ?? "-" }] : auditColumns;
      print(ctx, renderTable(columns, records));
    });
}

/** Up to `limit` records matching `query`, newest first, following the server's cursor. */
async function fetchAudit(api: ApiClient, query: AuditQuery, limit: number): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let cursor: number | undefined;
  while (records.length < limit) {
    const page = unwrap(
      await api.GET("/api/v1/audit", {
        params: { query: { ...query, limit: Math.min(PAGE, limit - records.length), ...(cursor === undefined ? {} : { cursor }) } },
      }),
    );
    records.push(...page.items);
    if (page.nextCursor === null || page.items.length === 0) break;
    cursor = page.nextCursor;
  }
  return records;
}
