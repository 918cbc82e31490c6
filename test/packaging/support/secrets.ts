import { spawnSync } from "node:child_process";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { parseAllDocuments } from "yaml";
import type { K8sObject } from "./kustomize.js";
import { K8S, scratch } from "./paths.js";
import { admin, createDatabase } from "./postgres.js";

export const CREATE_SECRETS = join(K8S, "secrets/create-secrets.sh");

/**
 * Values a shell, a URL or a YAML file would each mangle: `$` expansions, both quotes, a command
 * substitution, spaces, `#`, `@`, `/`, `:`, `%`, backslashes and non-ASCII letters.
 */
export const NASTY = {
  user: `ha "ops" $USER 'x' #1 @/%:é`,
  password: `p@ss word$HOME"'\`$(touch /tmp/ha-master-pwned)%!:/?#[]\\\\ ü`,
  admin: `admin $PATH "quoted" 'single' \\n #`,
};

export interface CreateSecretsRun {
  status: number | null;
  stdout: string;
  stderr: string;
  objects: K8sObject[];
}

/** Runs create-secrets.sh (with sh, as the docs do) and parses what it printed. */
export function createSecrets(args: string[]): CreateSecretsRun {
  const r = spawnSync("sh", [CREATE_SECRETS, ...args], { encoding: "utf8" });
  const objects = r.status === 0 ? parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject).filter(Boolean) : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, objects };
}

/**
 * A secrets directory holding the NASTY user, password and admin password, and a fresh
 * database owned by a real role of that name (with that password).
 */
export async function nastyDatabase(): Promise<{ dir: string; database: string; user: string; drop(): Promise<void> }> {
  const dir = scratch("secrets");
  // Unique per run: roles are shared by every database of the server.
  const user = `${NASTY.user} ${randomBytes(3).toString("hex")}`;
  writeFileSync(join(dir, "db-user"), user);
  writeFileSync(join(dir, "db-password"), NASTY.password);
  writeFileSync(join(dir, "admin-password"), NASTY.admin);
  const db = await createDatabase();
  await admin(async (c) => {
    const role = c.escapeIdentifier(user);
    await c.query(`create role ${role} login password ${c.escapeLiteral(NASTY.password)}`);
    await c.query(`alter database ${c.escapeIdentifier(db.name)} owner to ${role}`);
  });
  return {
    dir,
    database: db.name,
    user,
    async drop() {
      await db.drop();
      await admin((c) => c.query(`drop role if exists ${c.escapeIdentifier(user)}`));
    },
  };
}

/** Connects with a URL and says who and where it is. */
export async function whoAmI(url: string): Promise<{ user: string; database: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; database: string }>("select current_user as user, current_database() as database");
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/**
 * True when `password` is the role's password, checked against the SCRAM-SHA-256 verifier
 * PostgreSQL stored for it (RFC 5802/7677). The test server trusts every local connection, so a
 * login would not prove the password; the verifier does.
 */
export async function isRolePassword(role: string, password: string): Promise<boolean> {
  const stored = await admin(async (c) => (await c.query<{ p: string }>("select rolpassword as p from pg_authid where rolname = $1", [role])).rows[0]?.p);
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(stored ?? "");
  if (!m) throw new Error(`role ${role} has no SCRAM-SHA-256 password (${stored?.slice(0, 14)}…)`);
  const [, iterations, salt, storedKey, serverKey] = m;
  // PostgreSQL applies SASLprep; NFKC is all of it that matters for these passwords.
  const salted = pbkdf2Sync(password.normalize("NFKC"), Buffer.from(salt!, "base64"), Number(iterations), 32, "sha256");
  const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
  const clientKey = hmac(salted, "Client Key");
  return (
    createHash("sha256").update(clientKey).digest("base64") === storedKey && hmac(salted, "Server Key").toString("base64") === serverKey
  );
}
