import { AppError, diffConfigs, notFound, sha256Hex } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { ClustersService } from "../clusters/clusters-service.js";
import { lockCluster } from "../clusters/clusters-dal.js";
import type { RequestContext } from "../lib/context.js";
import { iso } from "../lib/time.js";
import * as dal from "./configs-dal.js";
import type { ConfigValidator } from "./config-validator.js";
import type { ConfigVersionDetail, ConfigVersionView, SaveResult, ValidationResult } from "./configs-types.js";

export interface SaveInput {
  content: string;
  message: string;
  /** The version the content was edited from (0 for a cluster's first version). */
  baseVersion: number;
  source?: "api" | "import";
}

function toView(row: dal.ConfigVersionMeta): ConfigVersionView {
  return {
    id: row.id,
    clusterId: row.clusterId,
    version: row.version,
    hash: row.hash,
    message: row.message,
    parentVersion: row.parentVersion,
    source: row.source,
    author: row.authorName,
    createdAt: iso(row.createdAt)!,
    size: row.size,
  };
}

function toDetail(row: dal.ConfigVersionRow): ConfigVersionDetail {
  return { ...toView({ ...row, size: Buffer.byteLength(row.content) }), content: row.content };
}

/**
 * Config versions: a linear, immutable history per cluster. A save names the version it was
 * edited from; if someone saved in between, it is refused with the current version (409), never
 * merged or overwritten silently. Content is validated before anything is stored.
 */
export function configsServiceFactory(deps: {
  store: { readonly db: Db };
  clusters: Pick<ClustersService, "require">;
  validator: ConfigValidator;
}) {
  const { store, clusters, validator } = deps;

  async function version(clusterRef: string, ref: number | "latest"): Promise<ConfigVersionDetail> {
    const cluster = await clusters.require(store.db, clusterRef);
    const row =
      ref === "latest"
        ? await dal.findLatestVersion(store.db, cluster.id)
        : await dal.findVersion(store.db, cluster.id, ref);
    if (!row) throw notFound(`config version of cluster ${cluster.name}`, ref);
    return toDetail(row);
  }

  function staleBase(current: dal.ConfigVersionRow | undefined, baseVersion: number): AppError {
    const currentVersion = current?.version ?? 0;
    return new AppError(
      "stale_base",
      `the config was edited from version ${baseVersion}, but the cluster is at version ${currentVersion}` +
        (current ? ` (saved by ${current.authorName}: ${JSON.stringify(current.message)})` : "") +
        "; rebase your change on the current version and save again",
      {
        baseVersion,
        currentVersion,
        currentHash: current?.hash ?? null,
        currentAuthor: current?.authorName ?? null,
        currentMessage: current?.message ?? null,
      },
    );
  }

  function unchanged(current: dal.ConfigVersionRow): SaveResult {
    return {
      ...toView({ ...current, size: Buffer.byteLength(current.content) }),
      created: false,
      note: `the content is identical to version ${current.version}; nothing was saved`,
      warnings: [],
    };
  }

  return {
    version,

    async list(clusterRef: string, page: { limit: number; before?: number }) {
      const cluster = await clusters.require(store.db, clusterRef);
      const rows = await dal.listVersions(store.db, cluster.id, { limit: page.limit + 1, before: page.before });
      const items = rows.slice(0, page.limit).map(toView);
      return { items, nextBefore: rows.length > page.limit ? items[items.length - 1]!.version : null };
    },

    validate(content: string): Promise<ValidationResult> {
      return validator.validate(content);
    },

    async save(ctx: RequestContext, clusterRef: string, input: SaveInput): Promise<SaveResult> {
      const cluster = await clusters.require(store.db, clusterRef);
      const hash = sha256Hex(input.content);
      // Cheap answers first, before the validation spends a HAProxy run.
      const before = await dal.findLatestVersion(store.db, cluster.id);
      if (before?.hash === hash) return unchanged(before);
      if ((before?.version ?? 0) !== input.baseVersion) throw staleBase(before, input.baseVersion);
      const validation = await validator.validate(input.content);
      if (!validation.valid) {
        const first = validation.errors[0]!;
        throw new AppError(
          "config_invalid",
          `the config is invalid: ${first.line ? `line ${first.line}: ` : ""}${first.message}` +
            (validation.errors.length > 1 ? ` (and ${validation.errors.length - 1} more)` : ""),
          validation,
        );
      }
      return store.db.transaction(async (tx) => {
        await lockCluster(tx, cluster.id);
        // Re-read under the lock: someone may have saved while we validated.
        const current = await dal.findLatestVersion(tx, cluster.id);
        if (current?.hash === hash) return unchanged(current);
        if ((current?.version ?? 0) !== input.baseVersion) throw staleBase(current, input.baseVersion);
        const row = await dal.insertVersion(tx, {
          clusterId: cluster.id,
          version: input.baseVersion + 1,
          content: input.content,
          hash,
          message: input.message,
          parentVersion: current?.version ?? null,
          source: input.source ?? "api",
          authorId: ctx.actor.id,
          authorName: ctx.actor.username,
        });
        const diff = current
          ? diffConfigs(current.content, input.content, { fromLabel: `v${current.version}`, toLabel: `v${input.baseVersion + 1}` })
          : undefined;
        await insertAudit(tx, ctx, {
          action: input.source === "import" ? "config.import" : "config.create",
          targetType: "cluster",
          targetId: cluster.id,
          targetName: cluster.name,
          before: current ? { version: current.version, hash: current.hash } : null,
          after: {
            version: row.version,
            hash,
            message: input.message,
            ...(diff ? { lines: diff.stats, summary: diff.summary } : { lines: { added: input.content.split("\n").length, removed: 0 } }),
          },
        });
        return { ...toView({ ...row, size: Buffer.byteLength(row.content) }), created: true, warnings: validation.warnings };
      });
    },

    async diff(clusterRef: string, from: number | "latest", to: number | "latest") {
      const a = await version(clusterRef, from);
      const b = await version(clusterRef, to);
      const diff = diffConfigs(a.content, b.content, { fromLabel: `v${a.version}`, toLabel: `v${b.version}` });
      return { from: a.version, to: b.version, fromHash: a.hash, toHash: b.hash, ...diff };
    },
  };
}

export type ConfigsService = ReturnType<typeof configsServiceFactory>;
