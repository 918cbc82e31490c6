import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { MIGRATIONS_FOLDER, openStore, type Store } from "../db/store.js";

/** Both databases every store and API test runs against. */
export const DATABASES = ["embedded", "postgres"] as const;
export type DatabaseKind = (typeof DATABASES)[number];

/** The PostgreSQL server tests create their databases on (trust auth on the project's machines). */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Opens a fresh, migrated store. PostgreSQL: a new database on the test server, dropped on close.
 * Embedded: an in-memory PGlite cloned from a migrated template (cached on disk by the migrations'
 * hash), because a fresh PGlite takes ~3 s to initialise and a clone ~0.6 s.
 */
export async function openTestStore(kind: DatabaseKind): Promise<Store> {
  return kind === "postgres" ? openPostgresTestStore() : openEmbeddedTestStore();
}

async function openPostgresTestStore(): Promise<Store> {
  const name = `hamaster_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(err as Error).message}). The tests need a real server: ` +
        "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set TEST_DATABASE_URL.",
    );
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const store = openStore({
    kind: "postgres",
    url: url.toString(),
    poolMax: 5,
    afterClose: async () => {
      const drop = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  });
  await store.opened;
  return store;
}

function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(MIGRATIONS_FOLDER).sort()) {
    if (file.endsWith(".sql")) hash.update(file).update(readFileSync(join(MIGRATIONS_FOLDER, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

let template: Promise<Blob> | undefined;

async function embeddedTemplate(): Promise<Blob> {
  const dir = join(tmpdir(), "ha-master-test-templates");
  const path = join(dir, `pglite-${migrationsHash()}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const store = openStore({ kind: "embedded-memory" });
    await store.opened;
    const dump = await store.pglite!.dumpDataDir("none");
    await store.close();
    await mkdir(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, path);
    return dump;
  }
}

async function openEmbeddedTestStore(): Promise<Store> {
  template ??= embeddedTemplate();
  const store = openStore({ kind: "embedded-memory", loadDataDir: await template });
  await store.opened;
  return store;
}
