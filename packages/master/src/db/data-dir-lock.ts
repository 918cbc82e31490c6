import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../config/env.js";

/** A held lock on an embedded data directory. */
export interface DataDirLock {
  release(): Promise<void>;
}

const LOCK_FILE = "ha-master.lock";

/**
 * PGlite does not lock its data directory and two processes opening it corrupt it, so the
 * master holds a lock file with its pid. A lock left by a process that no longer runs is taken
 * over; one held by a live process stops the start.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new ConfigError(
          `the data directory ${dataDir} is in use by another ha-master (pid ${holder}); ` +
            "the embedded database serves one process only — use PostgreSQL (DATABASE_URL) for several replicas",
        );
      }
      await rm(path, { force: true }); // stale: its process is gone
    }
  }
  throw new ConfigError(`could not lock the data directory ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
