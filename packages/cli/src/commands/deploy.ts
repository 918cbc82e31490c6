import { unwrap, type ApiClient } from "@ha-master/api-client";
import { Option, type Command } from "commander";
import { followDeployment } from "../api/deployment-stream.js";
import { clusterOption, connect, globalOptions, note, print, printJson, stderrColours, stdoutColours, type CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { colours, type Colours } from "../format/colour.js";
import { shortId } from "../format/audit.js";
import { batchLabel, colourStatus, formatOutcome, formatStart, isFinal, type Deployment, type Target } from "../format/deployment.js";
import { renderFields, renderTable, type Column } from "../format/table.js";
import { formatAge, formatDuration, formatTimestamp } from "../format/time.js";
import { progressDisplay } from "../io/progress.js";
import type { Session } from "../session/session.js";
import { isUuid, parseCount, parseVersion, pickByRef } from "./args.js";

/** `hactl deploy`, `hactl rollback`, `hactl deployments list|show|watch|cancel`. */
export function registerDeployCommands(program: Command, ctx: CliContext): void {
  program
    .command("deploy")
    .description("deploy a config version to every node of a cluster (canary first, then batches) and follow its progress")
    .argument("[version]", "the version to deploy: a number or latest", "latest")
    .addOption(clusterOption())
    .option("--batch-size <count>", "nodes per batch after the canary (default: a quarter of the nodes)")
    .addOption(new Option("--no-auto-rollback", "on failure, leave the nodes already switched on the new version"))
    .option("--detach", "start the deployment and return without following it")
    .action(async (version: string, opts: { cluster: string; batchSize?: string; autoRollback: boolean; detach?: boolean }, cmd: Command) => {
      const ref = parseVersion(version);
      const batchSize = opts.batchSize === undefined ? undefined : parseCount(opts.batchSize, "--batch-size", 10_000);
      const { api, session } = await connect(ctx, cmd);
      let target: number;
      if (ref === "latest") {
        const cluster = unwrap(await api.GET("/api/v1/clusters/{cluster}", { params: { path: { cluster: opts.cluster } } }));
        if (cluster.latestVersion === 0) throw new CliError(`cluster ${cluster.name} has no config version yet; save one with hactl config apply -c ${cluster.name} -f FILE`);
        target = cluster.latestVersion;
      } else {
        target = ref;
      }
      const created = unwrap(
        await api.POST("/api/v1/clusters/{cluster}/deployments", {
          params: { path: { cluster: opts.cluster } },
          body: { version: target, autoRollback: opts.autoRollback, ...(batchSize === undefined ? {} : { batchSize }) },
        }),
      );
      await follow(ctx, cmd, session, opts.cluster, created, Boolean(opts.detach));
    });

  program
    .command("rollback")
    .description("put back the version a cluster ran before a deployment (default: its latest deployment), as a new deployment")
    .argument("[deployment]", "the deployment to undo: its id, or the first characters of it")
    .addOption(clusterOption())
    .option("--detach", "start the rollback and return without following it")
    .action(async (ref: string | undefined, opts: { cluster: string; detach?: boolean }, cmd: Command) => {
      const { api, session } = await connect(ctx, cmd);
      let id: string;
      if (ref === undefined) {
        const { items } = unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments", { params: { path: { cluster: opts.cluster }, query: { limit: 1 } } }));
        if (!items[0]) throw new CliError(`cluster ${opts.cluster} has no deployment to roll back`);
        id = items[0].id;
        note(ctx, `Rolling back the latest deployment, ${shortId(id)} (version ${items[0].version}, ${items[0].status.replace("_", " ")}).`);
      } else {
        id = await resolveDeployment(api, opts.cluster, ref);
      }
      const created = unwrap(
        await api.POST("/api/v1/clusters/{cluster}/deployments/{id}/rollback", { params: { path: { cluster: opts.cluster, id } } }),
      );
      await follow(ctx, cmd, session, opts.cluster, created, Boolean(opts.detach));
    });

  const deployments = program.command("deployments").alias("deployment").description("list, show, follow and cancel deployments");

  deployments
    .command("list")
    .alias("ls")
    .description("the latest deployments, newest first (of one cluster with -c, else of all)")
    .addOption(new Option("-c, --cluster <name>", "only this cluster").env("HACTL_CLUSTER"))
    .option("-n, --limit <count>", "show at most this many", "20")
    .action(async (opts: { cluster?: string; limit: string }, cmd: Command) => {
      const limit = parseCount(opts.limit, "--limit", 200);
      const { api } = await connect(ctx, cmd);
      const { items } = opts.cluster
        ? unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments", { params: { path: { cluster: opts.cluster }, query: { limit } } }))
        : unwrap(await api.GET("/api/v1/deployments", { params: { query: { limit } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, items);
      if (items.length === 0) return print(ctx, "No deployments yet.");
      print(ctx, renderTable(deploymentColumns(ctx.now(), stdoutColours(ctx)), items));
    });

  deployments
    .command("show")
    .description("one deployment with every node's status and errors")
    .argument("<deployment>", "its id, or the first characters of it")
    .addOption(clusterOption())
    .action(async (ref: string, opts: { cluster: string }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const id = await resolveDeployment(api, opts.cluster, ref);
      const d = unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments/{id}", { params: { path: { cluster: opts.cluster, id } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, d);
      const c = stdoutColours(ctx);
      print(
        ctx,
        renderFields([
          ["id", d.id],
          ["cluster", d.clusterName],
          ["kind", d.kind === "rollback" ? `rollback of ${d.rollbackOf ? shortId(d.rollbackOf) : "?"}` : "deploy"],
          ["version", `${d.version}${d.previousVersion === null ? "" : ` (was ${d.previousVersion})`}`],
          ["status", colourStatus(d.status, c)],
          ["batches", `canary, then ${d.batchSize} at a time; auto-rollback ${d.autoRollback ? "on" : "off"}`],
          ["by", d.createdBy],
          ["started", formatTimestamp(d.startedAt ?? d.createdAt)],
          ["took", d.finishedAt ? formatDuration(Date.parse(d.finishedAt) - Date.parse(d.startedAt ?? d.createdAt)) : "(running)"],
          ...(d.error ? [["error", d.error] as const] : []),
          ...(d.note ? [["note", d.note] as const] : []),
        ]),
      );
      const targets = d.targets ?? [];
      if (targets.length > 0) print(ctx, `\n${renderTable(targetColumns(c), targets)}`);
      for (const t of targets) for (const l of t.errorLines) print(ctx, `${t.nodeName}: ${l.file}:${l.line}: ${l.message}`);
    });

  deployments
    .command("watch")
    .description("follow a deployment until it ends; exits non-zero unless it succeeded")
    .argument("<deployment>", "its id, or the first characters of it")
    .addOption(clusterOption())
    .action(async (ref: string, opts: { cluster: string }, cmd: Command) => {
      const { api, session } = await connect(ctx, cmd);
      const id = await resolveDeployment(api, opts.cluster, ref);
      const d = unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments/{id}", { params: { path: { cluster: opts.cluster, id } } }));
      await follow(ctx, cmd, session, opts.cluster, d, false);
    });

  deployments
    .command("cancel")
    .description("stop a rollout in progress; nodes not reached yet keep their version")
    .argument("<deployment>", "its id, or the first characters of it")
    .addOption(clusterOption())
    .action(async (ref: string, opts: { cluster: string }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const id = await resolveDeployment(api, opts.cluster, ref);
      const d = unwrap(await api.POST("/api/v1/clusters/{cluster}/deployments/{id}/cancel", { params: { path: { cluster: opts.cluster, id } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, d);
      print(ctx, `Cancelled deployment ${shortId(d.id)} of version ${d.version}: ${colourStatus(d.status, stdoutColours(ctx))}.`);
    });
}

/**
 * Follows a deployment to its end with a progress display on stderr and prints the outcome on
 * stdout. Anything but success ends in a CliError (exit 1) carrying the outcome line.
 */
async function follow(ctx: CliContext, cmd: Command, session: Session, cluster: string, started: Deployment, detach: boolean): Promise<void> {
  const json = globalOptions(cmd).output === "json";
  const err = stderrColours(ctx);
  if (detach || isFinal(started.status)) {
    if (json) printJson(ctx, started);
    else if (!isFinal(started.status)) print(ctx, `${formatStart(started)}\nFollow it with: hactl deployments watch -c ${cluster} ${shortId(started.id)}`);
    // A failure is told once, by the error line.
    else if (started.status === "succeeded") print(ctx, formatOutcome(started, stdoutColours(ctx)));
    return failUnlessSucceeded(started);
  }
  note(ctx, formatStart(started));
  const display = progressDisplay(ctx.io.stderr, err);
  // Ctrl-C stops watching, not the deployment: say so, and how to pick it up again.
  const onInterrupt = () => {
    display.stop();
    note(ctx, `\nStopped watching; deployment ${started.id} goes on. Follow it with: hactl deployments watch -c ${cluster} ${shortId(started.id)}`);
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  let last = started;
  try {
    for await (const d of followDeployment(session, cluster, started.id)) {
      display.update(d);
      last = d;
    }
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    display.stop();
  }
  if (json) printJson(ctx, last);
  else if (last.status === "succeeded") print(ctx, formatOutcome(last, stdoutColours(ctx)));
  failUnlessSucceeded(last);
}

function failUnlessSucceeded(d: Deployment): void {
  if (d.status === "succeeded" || !isFinal(d.status)) return;
  // The one line that ends the command (plain: it goes through the error path).
  throw new CliError(formatOutcome(d, colours(false)));
}

/** A deployment id from a full id, or the first characters of one of the cluster's recent deployments. */
async function resolveDeployment(api: ApiClient, cluster: string, ref: string): Promise<string> {
  if (isUuid(ref)) return ref.toLowerCase();
  const { items } = unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments", { params: { path: { cluster }, query: { limit: 200 } } }));
  return pickByRef(items, ref, (d) => shortId(d.id), "deployment").id;
}

/** The columns of `hactl deployments list`. */
export function deploymentColumns(now: number, c: Colours = colours(false)): Column<Deployment>[] {
  return [
    { header: "id", cell: (d) => shortId(d.id) },
    { header: "cluster", cell: (d) => d.clusterName },
    { header: "version", cell: (d) => `v${d.version}`, align: "right" },
    { header: "kind", cell: (d) => d.kind },
    { header: "status", cell: (d) => colourStatus(d.status, c) },
    { header: "nodes", cell: (d) => `${d.counts.succeeded + d.counts.skipped}/${d.counts.total}`, align: "right" },
    { header: "by", cell: (d) => d.createdBy },
    { header: "started", cell: (d) => formatAge(d.startedAt ?? d.createdAt, now) },
    { header: "took", cell: (d) => (d.finishedAt ? formatDuration(Date.parse(d.finishedAt) - Date.parse(d.startedAt ?? d.createdAt)) : "-") },
    { header: "error / note", cell: (d) => d.error ?? d.note ?? "", maxWidth: 70 },
  ];
}

/** The per-node table of `hactl deployments show`. */
function targetColumns(c: Colours): Column<Target>[] {
  return [
    { header: "node", cell: (t) => t.nodeName },
    { header: "batch", cell: (t) => batchLabel(t.batch) },
    { header: "status", cell: (t) => colourStatus(t.status, c) },
    { header: "took", cell: (t) => (t.startedAt && t.finishedAt ? formatDuration(Date.parse(t.finishedAt) - Date.parse(t.startedAt)) : "-") },
    { header: "error", cell: (t) => t.error ?? "", maxWidth: 80 },
  ];
}
