import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { CliError, EXIT } from "../errors.js";
import { emptyConfig, type CliConfig, type ConfigStore, type StoredLogin } from "./config-store.js";

/** `$XDG_CONFIG_HOME/hactl/config.json`, or `~/.config/hactl/config.json`. */
export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  const xdg = env["XDG_CONFIG_HOME"];
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env["HOME"] || homedir(), ".config");
  return join(base, "hactl", "config.json");
}

const LOCK_WAIT_MS = 15_000;
// A lock is held for one refresh request; older than this, its holder hung or died.
const LOCK_STALE_MS = 60_000;

/**
 * The config as a JSON file, readable by its owner only (file 0600, directory 0700). Writes go
 * to a temporary file that is synced and renamed over the old one. `exclusive` takes a lock file
 * next to it (created with O_EXCL, holding the pid), stealing it only from a dead or hung holder.
 */
export class FileConfigStore implements ConfigStore {
  constructor(readonly location: string) {}

  private get lockPath(): string {
    return `${this.location}.lock`;
  }

  async load(): Promise<CliConfig> {
    let text: string;
    try {
      text = await readFile(this.location, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyConfig();
      throw new CliError(`cannot read ${this.location}: ${(err as Error).message}`, EXIT.usage);
    }
    try {
      return parseConfig(JSON.parse(text));
    } catch (err) {
      throw new CliError(`${this.location} is damaged (${(err as Error).message}); delete it and log in again`, EXIT.usage);
    }
  }

  async save(config: CliConfig): Promise<void> {
    const dir = await this.ensureDir();
    const tmp = `${this.location}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const file = await open(tmp, "wx", 0o600);
    try {
      await file.chmod(0o600); // whatever the umask
      await file.writeFile(`${JSON.stringify(config, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(tmp, this.location);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await syncDir(dir);
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.ensureDir();
    await this.acquire();
    try {
      return await fn();
    } finally {
      await unlink(this.lockPath).catch(() => undefined);
    }
  }

  private async ensureDir(): Promise<string> {
    const dir = dirname(this.location);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // The directory is ours: tighten it if someone created it with the default umask.
    const mode = (await stat(dir)).mode & 0o777;
    if (mode !== 0o700) await chmod(dir, 0o700);
    return dir;
  }

  private async acquire(): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const lock = await open(this.lockPath, "wx", 0o600);
        await lock.writeFile(String(process.pid));
        await lock.close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      if (await this.lockIsStale()) {
        await unlink(this.lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError(`another hactl holds ${this.lockPath}; if none is running, delete that file`, EXIT.failure);
      }
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }

  private async lockIsStale(): Promise<boolean> {
    try {
      const [text, info] = await Promise.all([readFile(this.lockPath, "utf8"), stat(this.lockPath)]);
      if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
      const pid = Number(text);
      // Written right after the exclusive create: an empty file is a holder mid-write.
      if (!Number.isInteger(pid) || pid <= 0) return false;
      return !isAlive(pid);
    } catch {
      // Released in the meantime (or unreadable): the next attempt finds out.
      return false;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

function parseConfig(value: unknown): CliConfig {
  if (!isObject(value)) throw new Error("not a JSON object");
  const config = emptyConfig();
  if (typeof value["currentServer"] === "string") config.currentServer = value["currentServer"];
  const logins = value["logins"];
  if (logins !== undefined) {
    if (!isObject(logins)) throw new Error("logins is not an object");
    for (const [server, login] of Object.entries(logins)) {
      if (!isLogin(login)) throw new Error(`the login for ${server} is incomplete`);
      config.logins[server] = { username: login.username, refreshToken: login.refreshToken, savedAt: login.savedAt };
    }
  }
  return config;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLogin(value: unknown): value is StoredLogin {
  return isObject(value) && typeof value["username"] === "string" && typeof value["refreshToken"] === "string" && typeof value["savedAt"] === "string";
}
