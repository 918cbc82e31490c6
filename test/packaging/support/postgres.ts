import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL server the tests use (trust authentication on the project's machines). */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Runs statements as the test server's admin user. */
export async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(err as Error).message}); set TEST_DATABASE_URL`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database; `url` connects as the admin user. */
export async function createDatabase(prefix = "hamaster_pkg"): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
