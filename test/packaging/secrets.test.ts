import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseConnectionString } from "pg-connection-string";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretStore } from "./support/k8s.js";
import { K8sSchemas } from "./support/k8s-schema.js";
import { scratch } from "./support/paths.js";
import { createSecrets, isRolePassword, NASTY, nastyDatabase, whoAmI } from "./support/secrets.js";

const schemas = new K8sSchemas();

describe("deploy/k8s/secrets/create-secrets.sh", () => {
  let db: Awaited<ReturnType<typeof nastyDatabase>>;

  beforeAll(async () => {
    db = await nastyDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("carries user names and passwords with $, quotes, spaces, backslashes and non-ASCII byte for byte, into a URL PostgreSQL accepts", async () => {
    const marker = "/tmp/ha-master-pwned";
    const run = createSecrets(["--dir", db.dir, "--db-host", "127.0.0.1", "--db-port", "5432", "--db-name", db.database]);
    expect(run.stderr).not.toMatch(/error|unknown/i);
    expect(run.status).toBe(0);
    expect(run.objects.map((o) => o.metadata.name)).toEqual(["ha-master-database", "ha-master-secrets", "ha-master-postgres", "ha-master-admin"]);
    for (const o of run.objects) {
      expect(schemas.problems(o)).toEqual([]);
      expect(o.metadata.namespace).toBe("ha-master");
    }

    const secrets = secretStore(run.objects);
    const bytes = (name: string, key: string) => secrets.get(name)!.get(key)!;
    expect(bytes("ha-master-postgres", "username").equals(readFileSync(join(db.dir, "db-user")))).toBe(true);
    expect(bytes("ha-master-postgres", "password").toString("utf8")).toBe(NASTY.password);
    expect(bytes("ha-master-admin", "password").toString("utf8")).toBe(NASTY.admin);
    expect(bytes("ha-master-secrets", "jwt-secret").equals(readFileSync(join(db.dir, "jwt-secret")))).toBe(true);

    // What the master's driver reads out of the URL is exactly the files' contents...
    const url = bytes("ha-master-database", "url").toString("utf8");
    expect(url.startsWith("postgres://")).toBe(true);
    const parsed = parseConnectionString(url);
    expect(parsed).toMatchObject({ user: db.user, password: NASTY.password, host: "127.0.0.1", port: "5432", database: db.database });
    expect(() => new URL(url)).not.toThrow(); // the master's settings check (z.string().url())
    // ...and PostgreSQL takes it: a real login as that role, into that database, and the password
    // is the one the role was created with.
    expect(await whoAmI(url)).toEqual({ user: db.user, database: db.database });
    expect(await isRolePassword(db.user, parsed.password!)).toBe(true);
    expect(await isRolePassword(db.user, `${parsed.password!} `)).toBe(false);
    // Nothing was ever run through a shell.
    expect(existsSync(marker)).toBe(false);
  });

  it("generates what is missing once (0600, in the formats the master requires) and never overwrites a file", () => {
    const dir = scratch("secrets-generated");
    const first = createSecrets(["--dir", dir, "--db-host", "ha-master-postgres"]);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/create-secrets: generated \S*db-password/);
    const file = (name: string) => readFileSync(join(dir, name), "utf8");
    expect(file("db-user")).toBe("hamaster");
    expect(file("db-password")).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(file("jwt-secret")).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(file("cert-encryption-key")).toMatch(/^[0-9a-f]{64}$/);
    expect(file("database-url")).toBe(`postgres://hamaster:${file("db-password")}@ha-master-postgres:5432/hamaster`);
    for (const name of ["db-user", "db-password", "jwt-secret", "cert-encryption-key", "database-url"]) {
      expect((statSync(join(dir, name)).mode & 0o777).toString(8), name).toBe("600");
    }
    // No admin-password file: no ha-master-admin secret (the master then prints a generated one once).
    expect(first.objects.map((o) => o.metadata.name)).not.toContain("ha-master-admin");

    const again = createSecrets(["--dir", dir, "--db-host", "ha-master-postgres", "--namespace", "hamaster-staging"]);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toMatch(/create-secrets: generated/);
    expect(again.stdout.replaceAll("hamaster-staging", "ha-master")).toBe(first.stdout);
  });

  it("without --db-host uses database-url as it is (e.g. a URI a PostgreSQL operator generated)", () => {
    const dir = scratch("secrets-own-url");
    const url = "postgresql://app:s3cr%24t@pg-rw.databases.svc:5432/hamaster?sslmode=verify-full";
    writeFileSync(join(dir, "database-url"), url);
    const run = createSecrets(["--dir", dir]);
    expect(run.status).toBe(0);
    expect(run.objects.map((o) => o.metadata.name)).toEqual(["ha-master-database", "ha-master-secrets"]);
    expect(secretStore(run.objects).get("ha-master-database")!.get("url")!.toString()).toBe(url);
    expect(existsSync(join(dir, "db-password"))).toBe(true); // generated, unused without --db-host
  });

  it("refuses what would not arrive byte for byte or what the master would reject, naming the file", () => {
    const cases: [string, (dir: string) => void, string[], RegExp][] = [
      ["a trailing newline", (d) => writeFileSync(join(d, "db-password"), "secret\n"), ["--db-host", "h"], /db-password contains a newline/],
      ["a short JWT secret", (d) => writeFileSync(join(d, "jwt-secret"), "too-short"), ["--db-host", "h"], /jwt-secret must be at least 32 characters/],
      ["a key that is not 64 hex digits", (d) => writeFileSync(join(d, "cert-encryption-key"), "zz".repeat(32)), ["--db-host", "h"], /cert-encryption-key must be 64 hex digits/],
      ["a short admin password", (d) => writeFileSync(join(d, "admin-password"), "short"), ["--db-host", "h"], /admin-password must be at least 12 characters/],
      ["no database URL and no --db-host", () => undefined, [], /database-url is missing/],
      ["a port that is not a number", () => undefined, ["--db-host", "h", "--db-port", "54x"], /--db-port must be a number/],
    ];
    for (const [what, prepare, args, message] of cases) {
      const dir = scratch("secrets-bad");
      prepare(dir);
      const run = createSecrets(["--dir", dir, ...args]);
      expect(run.status, what).toBe(1);
      expect(run.stderr, what).toMatch(message);
      expect(run.stdout, `${what}: nothing half-written to apply`).toBe("");
    }
    const unknown = createSecrets(["--dir", scratch("secrets-bad"), "--db-hots", "h"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --db-hots/);
  });
});
