import { basename } from "node:path";
import { ApiError, unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import { diffConfigs } from "@ha-master/shared";
import type { Command } from "commander";
import { clusterOption, connect, globalOptions, note, print, printJson, stderrColours, stdoutColours, type CliContext } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { colourUnifiedDiff, formatDiffSummary } from "../format/diff.js";
import { formatProblems, problemsOfDetails, type Problem } from "../format/problems.js";
import { renderTable, type Column } from "../format/table.js";
import { formatAge, formatTimestamp } from "../format/time.js";
import { readTextFile, writeTextFile } from "../io/files.js";
import { confirmOrAbort } from "../io/terminal.js";
import { parseBase, parseCount, parseVersion, type VersionArg } from "./args.js";

type Cluster = Schemas["Cluster"];
type ConfigVersion = Schemas["ConfigVersion"];
type SaveResult = Schemas["ConfigSaveResult"];

// The server's largest page of versions.
const PAGE = 500;

/** `hactl config apply|import|validate|diff|dump|history`. */
export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program.command("config").description("config versions: apply a file, diff, dump, history, validate, import");

  config
    .command("apply")
    .description("save a file as the cluster's next config version: validates it, shows the diff, asks before saving")
    .addOption(clusterOption())
    .requiredOption("-f, --file <path>", "the haproxy.cfg to save (- reads stdin, and then needs --yes)")
    .option("-m, --message <text>", "why this change (default: \"applied from FILE\")")
    .option("--base <version>", "the version the file was edited from; refused if the cluster has moved on since (default: the current version)")
    .option("-y, --yes", "save without asking")
    .action(async (opts: { cluster: string; file: string; message?: string; base?: string; yes?: boolean }, cmd: Command) => {
      if (opts.file === "-" && !opts.yes) throw new UsageError("-f - reads the config from stdin, so the answer to the question cannot come from there too: add --yes");
      const base = opts.base === undefined ? undefined : parseBase(opts.base);
      const content = await readTextFile(ctx.io, opts.file);
      const file = displayName(opts.file);
      const json = globalOptions(cmd).output === "json";
      const { api } = await connect(ctx, cmd);
      const cluster = await getCluster(api, opts.cluster);
      const current = cluster.latestVersion > 0 ? await getVersion(api, cluster.name, cluster.latestVersion) : undefined;
      const message = opts.message ?? `applied from ${basename(opts.file === "-" ? "stdin" : opts.file)}`;
      if (current && current.content === content) {
        if (json) return printJson(ctx, { created: false, version: current.version, note: `identical to version ${current.version}` });
        return print(ctx, `No changes: ${file} is identical to version ${current.version} of ${cluster.name}; nothing to save.`);
      }
      const currentVersion = current?.version ?? 0;
      // A file edited from an older version: the server refuses it and says who saved since.
      if (base !== undefined && base !== currentVersion) return save(ctx, api, cluster, { content, message, baseVersion: base }, file, json);

      const validation = unwrap(await api.POST("/api/v1/clusters/{cluster}/configs/validate", { params: { path: { cluster: cluster.name } }, body: { content } }));
      if (!validation.valid) throw invalid(ctx, file, [...validation.errors, ...validation.warnings]);
      if (validation.warnings.length > 0) ctx.io.stderr.write(formatProblems(file, validation.warnings, stderrColours(ctx)));

      const diff = diffConfigs(current?.content ?? "", content, { fromLabel: current ? `v${current.version}` : "(none)", toLabel: file });
      // In JSON mode stdout is for the result alone: the review goes to stderr.
      const out = json ? ctx.io.stderr : ctx.io.stdout;
      const c = json ? stderrColours(ctx) : stdoutColours(ctx);
      out.write(`${c.bold(`Cluster ${cluster.name}: version ${currentVersion || "(none)"} → ${file} (would be version ${currentVersion + 1})`)}\n`);
      out.write(colourUnifiedDiff(diff.unified, c));
      out.write(formatDiffSummary(diff.summary, diff.stats, c));
      if (!opts.yes) await confirmOrAbort(ctx.io, `Save as version ${currentVersion + 1} of ${cluster.name}?`, "nothing was saved");
      await save(ctx, api, cluster, { content, message, baseVersion: currentVersion }, file, json);
    });

  config
    .command("import")
    .description("import an existing haproxy.cfg as the cluster's next version, as it is (no diff, no question)")
    .addOption(clusterOption())
    .requiredOption("-f, --file <path>", "the haproxy.cfg to import (- reads stdin)")
    .option("-m, --message <text>", "why this change (default: \"imported from an existing file\")")
    .option("--base <version>", "the version this file replaces; refused if the cluster has moved on (default: the current version)")
    .action(async (opts: { cluster: string; file: string; message?: string; base?: string }, cmd: Command) => {
      const base = opts.base === undefined ? undefined : parseBase(opts.base);
      const content = await readTextFile(ctx.io, opts.file);
      const file = displayName(opts.file);
      const { api } = await connect(ctx, cmd);
      const cluster = await getCluster(api, opts.cluster);
      const result = await handleSaveErrors(ctx, file, async () =>
        unwrap(
          await api.POST("/api/v1/clusters/{cluster}/configs/import", {
            params: {
              path: { cluster: cluster.name },
              query: { baseVersion: base ?? cluster.latestVersion, ...(opts.message === undefined ? {} : { message: opts.message }) },
            },
            // The file goes as it is (text/plain), so nothing in it is touched by JSON encoding.
            body: content,
            bodySerializer: (body: string) => body,
            headers: { "content-type": "text/plain; charset=utf-8" },
          }),
        ),
      );
      reportSaved(ctx, cluster, result, file, globalOptions(cmd).output === "json");
    });

  config
    .command("validate")
    .description("check a file the way a save would (parser, and haproxy -c on the master), without saving it")
    .addOption(clusterOption())
    .requiredOption("-f, --file <path>", "the haproxy.cfg to check (- reads stdin)")
    .action(async (opts: { cluster: string; file: string }, cmd: Command) => {
      const content = await readTextFile(ctx.io, opts.file);
      const file = displayName(opts.file);
      const { api } = await connect(ctx, cmd);
      const result = unwrap(await api.POST("/api/v1/clusters/{cluster}/configs/validate", { params: { path: { cluster: opts.cluster } }, body: { content } }));
      if (globalOptions(cmd).output === "json") {
        printJson(ctx, result);
        if (!result.valid) throw new CliError(`${file} is invalid`);
        return;
      }
      if (!result.valid) throw invalid(ctx, file, [...result.errors, ...result.warnings], "");
      if (result.warnings.length > 0) ctx.io.stderr.write(formatProblems(file, result.warnings, stderrColours(ctx)));
      const checked = result.haproxy.checked ? `checked with HAProxy ${result.haproxy.version ?? ""}`.trim() : `parser only: ${result.haproxy.note ?? "haproxy -c did not run"}`;
      print(ctx, `${file} is valid (${checked}${result.warnings.length ? `, ${plural(result.warnings.length, "warning")}` : ""}).`);
    });

  config
    .command("diff")
    .description("show what changed between two versions (B defaults to latest), or between a version and a local file")
    .argument("[A]", "the older version: a number or latest (default: latest with --file)")
    .argument("[B]", "the newer version (default: latest)")
    .addOption(clusterOption())
    .option("-f, --file <path>", "compare version A (default: latest) with this local file instead")
    .option("--patch", "print only the unified diff (for patch(1) and git apply)")
    .option("--exit-code", "exit with 1 when there are differences, like git diff --exit-code")
    .action(async (a: string | undefined, b: string | undefined, opts: { cluster: string; file?: string; patch?: boolean; exitCode?: boolean }, cmd: Command) => {
      if (opts.file !== undefined && b !== undefined) throw new UsageError("with --file, give at most one version to compare the file with");
      if (opts.file === undefined && a === undefined) throw new UsageError("which versions? hactl config diff A [B], e.g. hactl config diff 3 latest");
      const from = a === undefined ? "latest" : parseVersion(a, "A");
      const to = b === undefined ? "latest" : parseVersion(b, "B");
      const local = opts.file === undefined ? undefined : await readTextFile(ctx.io, opts.file);
      const { api } = await connect(ctx, cmd);
      let result: { from: string; to: string; unified: string; stats: { added: number; removed: number }; summary: Schemas["ConfigDiff"]["summary"] };
      if (local !== undefined) {
        const version = await getVersion(api, opts.cluster, from);
        const file = displayName(opts.file!);
        result = { from: `v${version.version}`, to: file, ...diffConfigs(version.content, local, { fromLabel: `v${version.version}`, toLabel: file }) };
      } else {
        const d = unwrap(
          await api.GET("/api/v1/clusters/{cluster}/configs/diff", { params: { path: { cluster: opts.cluster }, query: { from: String(from), to: String(to) } } }),
        );
        result = { ...d, from: `v${d.from}`, to: `v${d.to}` };
      }
      const differs = result.unified !== "";
      if (globalOptions(cmd).output === "json") printJson(ctx, result);
      else if (!differs) note(ctx, `No differences between ${result.from} and ${result.to}.`);
      else {
        const c = stdoutColours(ctx);
        ctx.io.stdout.write(colourUnifiedDiff(result.unified, c));
        if (!opts.patch) ctx.io.stdout.write(`\n${formatDiffSummary(result.summary, result.stats, c)}`);
      }
      if (differs && opts.exitCode) throw new CliError(`${result.from} and ${result.to} differ`);
    });

  config
    .command("dump")
    .description("print a version's content exactly as it was saved (default: latest)")
    .argument("[version]", "a version number or latest", "latest")
    .addOption(clusterOption())
    .option("-o, --out <path>", "write it to this file instead of stdout")
    .action(async (version: string, opts: { cluster: string; out?: string }, cmd: Command) => {
      const ref = parseVersion(version);
      const { api } = await connect(ctx, cmd);
      const detail = await getVersion(api, opts.cluster, ref);
      if (globalOptions(cmd).output === "json") return printJson(ctx, detail);
      // Byte for byte: no newline added, nothing trimmed.
      await writeTextFile(ctx.io, opts.out ?? "-", detail.content);
      if (opts.out && opts.out !== "-") note(ctx, `Wrote version ${detail.version} (${detail.size} bytes, sha256 ${detail.hash.slice(0, 12)}) to ${opts.out}.`);
    });

  config
    .command("history")
    .alias("log")
    .description("list a cluster's config versions, newest first")
    .addOption(clusterOption())
    .option("-n, --limit <count>", "show at most this many versions", "20")
    .option("--all", "show every version")
    .action(async (opts: { cluster: string; limit: string; all?: boolean }, cmd: Command) => {
      const limit = opts.all ? Number.POSITIVE_INFINITY : parseCount(opts.limit, "--limit");
      const { api } = await connect(ctx, cmd);
      const cluster = await getCluster(api, opts.cluster);
      const versions: ConfigVersion[] = [];
      let before: number | undefined;
      while (versions.length < limit) {
        const page = unwrap(
          await api.GET("/api/v1/clusters/{cluster}/configs", {
            params: { path: { cluster: cluster.name }, query: { limit: Math.min(PAGE, limit - versions.length), ...(before === undefined ? {} : { before }) } },
          }),
        );
        versions.push(...page.items);
        if (page.nextBefore === null || page.items.length === 0) break;
        before = page.nextBefore;
      }
      if (globalOptions(cmd).output === "json") return printJson(ctx, versions);
      if (versions.length === 0) return print(ctx, `Cluster ${cluster.name} has no config version yet. Save one with: hactl config apply -c ${cluster.name} -f haproxy.cfg`);
      print(ctx, renderTable(historyColumns(cluster, ctx.now()), versions));
      if (versions.some((v) => v.version === cluster.desiredVersion)) print(ctx, "* the version the last completed deployment put on the nodes");
    });
}

/** The columns of `hactl config history`; the deployed version is starred. */
export function historyColumns(cluster: Pick<Cluster, "desiredVersion">, now: number): Column<ConfigVersion>[] {
  return [
    { header: "version", cell: (v) => `${v.version === cluster.desiredVersion ? "*" : ""}v${v.version}`, align: "right" },
    { header: "saved", cell: (v) => `${formatTimestamp(v.createdAt)} (${formatAge(v.createdAt, now)})` },
    { header: "author", cell: (v) => v.author },
    { header: "source", cell: (v) => v.source },
    { header: "hash", cell: (v) => v.hash.slice(0, 12) },
    { header: "message", cell: (v) => v.message, maxWidth: 72 },
  ];
}

async function getCluster(api: ApiClient, ref: string): Promise<Cluster> {
  return unwrap(await api.GET("/api/v1/clusters/{cluster}", { params: { path: { cluster: ref } } }));
}

async function getVersion(api: ApiClient, cluster: string, version: VersionArg): Promise<Schemas["ConfigVersionDetail"]> {
  return unwrap(await api.GET("/api/v1/clusters/{cluster}/configs/{version}", { params: { path: { cluster, version: String(version) } } }));
}

async function save(
  ctx: CliContext,
  api: ApiClient,
  cluster: Cluster,
  body: { content: string; message: string; baseVersion: number },
  file: string,
  json: boolean,
): Promise<void> {
  const result = await handleSaveErrors(ctx, file, async () =>
    unwrap(await api.POST("/api/v1/clusters/{cluster}/configs", { params: { path: { cluster: cluster.name } }, body })),
  );
  reportSaved(ctx, cluster, result, file, json);
}

/** Runs a save; a 422 prints every problem as FILE:LINE before the one-line error. */
async function handleSaveErrors(ctx: CliContext, file: string, run: () => Promise<SaveResult>): Promise<SaveResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError && err.code === "config_invalid") throw invalid(ctx, file, problemsOfDetails(err.details), "; nothing was saved", err.requestId);
    if (err instanceof ApiError && err.code === "stale_base") throw new CliError(`${err.message.replace(/; rebase .*$/, "")}; nothing was saved (review the new diff: run the command again)`, undefined, err.requestId);
    throw err;
  }
}

function reportSaved(ctx: CliContext, cluster: Cluster, result: SaveResult, file: string, json: boolean): void {
  if (result.warnings.length > 0) ctx.io.stderr.write(formatProblems(file, result.warnings, stderrColours(ctx)));
  if (json) return printJson(ctx, result);
  if (!result.created) return print(ctx, `No changes: ${result.note ?? `identical to version ${result.version}`}.`);
  print(ctx, `Saved version ${result.version} of ${cluster.name} (sha256 ${result.hash.slice(0, 12)}). Deploy it with: hactl deploy -c ${cluster.name} ${result.version}`);
}

/** Prints each problem as FILE:LINE: … on stderr and returns the one-line error that ends the command. */
function invalid(ctx: CliContext, file: string, problems: Problem[], tail = "; nothing was saved", requestId?: string): CliError {
  ctx.io.stderr.write(formatProblems(file, problems, stderrColours(ctx)));
  const errors = problems.filter((p) => p.severity === "error");
  const first = errors[0];
  const where = first ? `: ${first.line === null ? "" : `line ${first.line}: `}${first.message}` : "";
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, "more error")})` : "";
  return new CliError(`${file} is invalid${where}${more}${tail}`, undefined, requestId);
}

function displayName(path: string): string {
  return path === "-" ? "stdin" : path;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
