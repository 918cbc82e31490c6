/**
 * The one schema of HA-Master, for PostgreSQL and the embedded PGlite alike. Migrations are
 * generated from it by drizzle-kit (`npm run db:generate -w @ha-master/master`) into
 * packages/master/drizzle/; hand-written SQL (immutability triggers) lives in custom migrations
 * there. Migrations are forward-only.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["admin", "operator", "viewer"] }).notNull(),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    lastLoginAt: ts("last_login_at"),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.username),
    check("users_role_check", sql`${t.role} in ('admin', 'operator', 'viewer')`),
  ],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id),
    familyId: uuid("family_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("refresh_tokens_hash_key").on(t.tokenHash), index("refresh_tokens_family_idx").on(t.familyId)],
);

export const clusters = pgTable(
  "clusters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
    createdBy: uuid("created_by").references(() => users.id),
    /** What every node should run once no rollout is in progress: set when a deployment ends. */
    desiredVersion: integer("desired_version"),
    desiredHash: text("desired_hash"),
  },
  (t) => [uniqueIndex("clusters_name_key").on(t.name)],
);

/** Immutable: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export const configVersions = pgTable(
  "config_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id),
    version: integer("version").notNull(),
    content: text("content").notNull(),
    hash: text("hash").notNull(),
    message: text("message").notNull(),
    parentVersion: integer("parent_version"),
    source: text("source", { enum: ["api", "import"] }).notNull().default("api"),
    authorId: uuid("author_id").references(() => users.id),
    authorName: text("author_name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("config_versions_cluster_version_key").on(t.clusterId, t.version),
    check("config_versions_version_check", sql`${t.version} > 0`),
  ],
);

export const certificates = pgTable(
  "certificates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    certPem: text("cert_pem").notNull(),
    /** AES-256-GCM: iv (12) || tag (16) || ciphertext, under the key named by key_id. */
    keyCiphertext: bytea("key_ciphertext").notNull(),
    keyId: text("key_id").notNull(),
    subject: text("subject").notNull(),
    issuer: text("issuer").notNull(),
    sans: jsonb("sans").$type<string[]>().notNull(),
    serialNumber: text("serial_number").notNull(),
    fingerprintSha256: text("fingerprint_sha256").notNull(),
    keyAlgorithm: text("key_algorithm").notNull(),
    notBefore: ts("not_before").notNull(),
    notAfter: ts("not_after").notNull(),
    chainLength: integer("chain_length").notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [uniqueIndex("certificates_name_key").on(t.name)],
);

/** The internal CA that signs agent and gRPC server certificates (one active row). */
export const certificateAuthorities = pgTable(
  "certificate_authorities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    certPem: text("cert_pem").notNull(),
    keyCiphertext: bytea("key_ciphertext").notNull(),
    keyId: text("key_id").notNull(),
    source: text("source", { enum: ["generated", "provided"] }).notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  // One active CA, whichever replica created it.
  (t) => [uniqueIndex("certificate_authorities_one_active").on(t.active).where(sql`${t.active}`)],
);

export const enrollmentTokens = pgTable(
  "enrollment_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id),
    tokenHash: text("token_hash").notNull(),
    description: text("description").notNull().default(""),
    maxUses: integer("max_uses").notNull(),
    useCount: integer("use_count").notNull().default(0),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [
    uniqueIndex("enrollment_tokens_hash_key").on(t.tokenHash),
    check("enrollment_tokens_uses_check", sql`${t.useCount} <= ${t.maxUses}`),
  ],
);

export const nodes = pgTable(
  "nodes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id),
    name: text("name").notNull(),
    enrollmentTokenId: uuid("enrollment_token_id").references(() => enrollmentTokens.id),
    /** The one certificate a node may connect with (hex, no leading zeros)... */
    certSerial: text("cert_serial").notNull(),
    /**
     * ...and the one it had before its last renewal, until it first connects with the new one: an
     * agent that crashed between the master's answer and saving the new certificate is not locked out.
     */
    previousCertSerial: text("previous_cert_serial"),
    certNotAfter: ts("cert_not_after").notNull(),
    revokedAt: ts("revoked_at"),
    enrolledAt: createdAt(),
    lastSeenAt: ts("last_seen_at"),
    /** The master replica holding this node's stream, if any. */
    connectedTo: text("connected_to"),
    agentVersion: text("agent_version").notNull().default(""),
    haproxyVersion: text("haproxy_version").notNull().default(""),
    mode: text("mode").notNull().default(""),
    appliedHash: text("applied_hash").notNull().default(""),
    /** The config version of the applied bundle, when the master knows it. */
    appliedVersion: integer("applied_version"),
    diskHash: text("disk_hash").notNull().default(""),
    haproxyRunning: boolean("haproxy_running").notNull().default(false),
    failedReloads: integer("failed_reloads").notNull().default(0),
    servers: jsonb("servers").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [index("nodes_cluster_idx").on(t.clusterId), uniqueIndex("nodes_cert_serial_key").on(t.certSerial)],
);

export const deploymentStatuses = ["pending", "running", "succeeded", "failed", "rolled_back", "cancelled"] as const;

export const deployments = pgTable(
  "deployments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clusterId: uuid("cluster_id").notNull().references(() => clusters.id),
    version: integer("version").notNull(),
    bundleHash: text("bundle_hash").notNull(),
    /** The version the cluster ran before; what auto-rollback returns to. */
    previousVersion: integer("previous_version"),
    kind: text("kind", { enum: ["deploy", "rollback"] }).notNull().default("deploy"),
    rollbackOf: uuid("rollback_of"),
    status: text("status", { enum: deploymentStatuses }).notNull().default("pending"),
    batchSize: integer("batch_size").notNull(),
    autoRollback: boolean("auto_rollback").notNull(),
    error: text("error"),
    note: text("note"),
    /** The replica that drives the rollout, and until when its claim holds. */
    owner: text("owner"),
    leaseUntil: ts("lease_until"),
    createdBy: uuid("created_by").references(() => users.id),
    createdByName: text("created_by_name").notNull(),
    createdAt: createdAt(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("deployments_cluster_idx").on(t.clusterId, t.createdAt)],
);

export const deploymentTargets = pgTable(
  "deployment_targets",
  {
    deploymentId: uuid("deployment_id").notNull().references(() => deployments.id),
    nodeId: uuid("node_id").notNull().references(() => nodes.id),
    batch: integer("batch").notNull(),
    status: text("status", {
      enum: ["pending", "skipped", "applying", "succeeded", "failed", "rolling_back", "rolled_back", "cancelled"],
    })
      .notNull()
      .default("pending"),
    nonce: text("nonce"),
    previousHash: text("previous_hash").notNull().default(""),
    error: text("error"),
    errorLines: jsonb("error_lines").$type<{ file: string; line: number; message: string }[]>(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.nodeId] })],
);

/** Immutable history of every deployment step. */
export const deploymentEvents = pgTable(
  "deployment_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deploymentId: uuid("deployment_id").notNull().references(() => deployments.id),
    at: ts("at").notNull().defaultNow(),
    type: text("type").notNull(),
    nodeId: uuid("node_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("deployment_events_deployment_idx").on(t.deploymentId, t.id)],
);

/** Immutable: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ts("at").notNull().defaultNow(),
    actorId: uuid("actor_id"),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    targetName: text("target_name"),
    summary: jsonb("summary").$type<{ before?: unknown; after?: unknown }>().notNull(),
    requestId: text("request_id"),
    clientIp: text("client_ip"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorName, t.id),
    index("audit_log_action_idx").on(t.action, t.id),
    index("audit_log_target_idx").on(t.targetType, t.targetId, t.id),
  ],
);
