import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { bundleHash, isSafeBundlePath, type BundleFile } from "@ha-master/shared";
import { fsyncDir, replaceSymlink, writeFileSynced } from "../state/atomic-fs.js";
import type { Bundle } from "./applier.js";
import { isReleaseName, releaseName, selectPrunable, TMP_PREFIX, type ReleaseInfo } from "./release-fns.js";

/** The metadata file in every release; not part of the bundle or its hash. */
export const META_FILE = ".bundle.json";

/** What `.bundle.json` records about a release. */
export interface ReleaseMeta {
  hash: string;
  version: number;
  deploymentId: string;
  nonce: string;
  /** ISO time the release was written. */
  appliedAt: string;
}

/** A complete release directory. */
export interface Release {
  name: string;
  dir: string;
  meta: ReleaseMeta;
}

/**
 * The release directories of a state dir and the `current`/`previous` symlinks into them.
 * Every change is crash-safe: a release is written under `releases/.tmp-*` and renamed into
 * place only once complete and flushed, and symlinks are replaced by rename, so `current`
 * always names a complete release.
 */
export class ReleaseStore {
  readonly releasesDir: string;
  readonly currentLink: string;
  readonly previousLink: string;
  /** The release HAProxy was last confirmed running; differs from `current` only mid-apply. */
  readonly activeLink: string;

  constructor(readonly stateDir: string) {
    this.releasesDir = path.join(stateDir, "releases");
    this.currentLink = path.join(stateDir, "current");
    this.previousLink = path.join(stateDir, "previous");
    this.activeLink = path.join(stateDir, "active");
  }

  /** Creates the layout and removes what a crash left behind; returns the names removed. */
  async init(): Promise<string[]> {
    await mkdir(this.releasesDir, { recursive: true, mode: 0o755 });
    const removed: string[] = [];
    for (const name of await readdir(this.releasesDir)) {
      if (!name.startsWith(TMP_PREFIX)) continue;
      await rm(path.join(this.releasesDir, name), { recursive: true, force: true });
      removed.push(`releases/${name}`);
    }
    for (const name of await readdir(this.stateDir)) {
      if (/^\.(current|previous|active)\.tmp-/.test(name)) {
        await rm(path.join(this.stateDir, name), { force: true });
        removed.push(name);
      }
    }
    return removed;
  }

  /** Writes a bundle as a new, complete release and returns it; `current` is not touched. */
  async write(bundle: Bundle, now = new Date()): Promise<Release> {
    const tmp = path.join(this.releasesDir, `${TMP_PREFIX}${randomBytes(6).toString("hex")}`);
    const meta: ReleaseMeta = {
      hash: bundle.hash,
      version: bundle.version,
      deploymentId: bundle.deploymentId,
      nonce: bundle.nonce,
      appliedAt: now.toISOString(),
    };
    try {
      await mkdir(tmp, { mode: 0o755 });
      const dirs = new Set<string>([tmp]);
      for (const f of bundle.files) {
        // Checked before, checked again: this is the last line before a path reaches the disk.
        if (!isSafeBundlePath(f.path) || f.path === META_FILE) throw new Error(`unsafe bundle path ${JSON.stringify(f.path)}`);
        const file = path.join(tmp, f.path);
        await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
        dirs.add(path.dirname(file));
        await writeFileSynced(file, f.content, f.mode & 0o777);
      }
      await writeFileSynced(path.join(tmp, META_FILE), `${JSON.stringify(meta, null, 2)}\n`, 0o644);
      for (const d of [...dirs].sort((a, b) => b.length - a.length)) await fsyncDir(d);
      const name = await this.rename(tmp, now, bundle.hash);
      await fsyncDir(this.releasesDir);
      return { name, dir: path.join(this.releasesDir, name), meta };
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  private async rename(tmp: string, now: Date, hash: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const name = releaseName(now, hash, attempt);
      const exists = await lstat(path.join(this.releasesDir, name)).then(() => true, () => false);
      if (exists) continue;
      await rename(tmp, path.join(this.releasesDir, name));
      return name;
    }
  }

  /** The release `current` points to, or undefined when there is none (or it is unreadable). */
  current(): Promise<Release | undefined> {
    return this.resolve(this.currentLink);
  }

  /** The release `previous` points to (the one before the last successful switch). */
  previous(): Promise<Release | undefined> {
    return this.resolve(this.previousLink);
  }

  private async resolve(link: string): Promise<Release | undefined> {
    const target = await readlink(link).catch(() => undefined);
    if (!target) return undefined;
    const name = path.basename(target);
    return this.read(name);
  }

  /** Reads one release by name. */
  async read(name: string): Promise<Release | undefined> {
    const dir = path.join(this.releasesDir, name);
    try {
      const meta = JSON.parse(await readFile(path.join(dir, META_FILE), "utf8")) as ReleaseMeta;
      return { name, dir, meta };
    } catch {
      return undefined;
    }
  }

  /** Points `current` at a release, or removes it (`undefined`: no release runs). */
  async switchTo(name: string | undefined): Promise<void> {
    if (name === undefined) {
      await unlink(this.currentLink).catch(() => undefined);
      await fsyncDir(this.stateDir);
      return;
    }
    // Relative target: the state directory can be moved or mounted elsewhere as a whole.
    await replaceSymlink(path.join("releases", name), this.currentLink);
  }

  /** Records the release a successful switch replaced, for local rollback and the pruner. */
  async setPrevious(name: string | undefined): Promise<void> {
    if (name === undefined) await unlink(this.previousLink).catch(() => undefined);
    else await replaceSymlink(path.join("releases", name), this.previousLink);
  }

  /** The release HAProxy was last confirmed to run. */
  active(): Promise<Release | undefined> {
    return this.resolve(this.activeLink);
  }

  /** Records that HAProxy now runs `name` (after a confirmed reload). */
  async markActive(name: string): Promise<void> {
    await replaceSymlink(path.join("releases", name), this.activeLink);
  }

  /**
   * After a crash between switching `current` and confirming the reload, `current` names a
   * release HAProxy may never have loaded, and the applied hash read from it would be a lie.
   * Points `current` back at the last confirmed release; returns the release it moved away from.
   * The master then sees the old hash and sends the bundle again.
   */
  async recoverInterruptedApply(): Promise<string | undefined> {
    const [current, active] = [await this.current(), await this.active()];
    if (!active || !current || current.name === active.name) return undefined;
    await this.switchTo(active.name);
    return current.name;
  }

  /** Deletes one release directory. */
  async remove(name: string): Promise<void> {
    await rm(path.join(this.releasesDir, name), { recursive: true, force: true });
  }

  /** Every complete release with the time it was written (from `.bundle.json`). */
  async list(): Promise<ReleaseInfo[]> {
    const out: ReleaseInfo[] = [];
    for (const name of await readdir(this.releasesDir)) {
      if (!isReleaseName(name)) continue;
      const r = await this.read(name);
      // A release without readable metadata sorts as oldest, so the pruner removes it first.
      out.push({ name, writtenAt: r ? Date.parse(r.meta.appliedAt) || 0 : 0 });
    }
    return out;
  }

  /** Deletes releases beyond the newest `keep`, never the current or previous one; returns their names. */
  async prune(keep: number): Promise<string[]> {
    const protect = new Set<string>();
    for (const r of [await this.current(), await this.previous(), await this.active()]) if (r) protect.add(r.name);
    const doomed = selectPrunable(await this.list(), keep, protect);
    for (const name of doomed) await this.remove(name);
    return doomed;
  }

  /** The files of a release as they are on disk now (without `.bundle.json`). */
  async readFiles(dir: string): Promise<BundleFile[]> {
    const files: BundleFile[] = [];
    const walk = async (rel: string): Promise<void> => {
      for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
        const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
        if (relPath === META_FILE) continue;
        if (entry.isDirectory()) await walk(relPath);
        else if (entry.isFile()) {
          const full = path.join(dir, relPath);
          const [content, s] = await Promise.all([readFile(full), stat(full)]);
          files.push({ path: relPath, content, mode: s.mode & 0o777 });
        }
      }
    };
    await walk("");
    return files;
  }

  /** bundleHash of what is on disk in a release: differs from its recorded hash after a hand edit. */
  async diskHash(dir: string): Promise<string> {
    return bundleHash(await this.readFiles(dir));
  }
}
