import { randomBytes } from "node:crypto";
import { open, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";

/** Flushes a directory's entries (new names, renames) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a file's content and mode and flushes it; the file must not exist yet. */
export async function writeFileSynced(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  // Created with the final mode so a key is never readable by others, not even for a moment;
  // chmod afterwards because the umask may have taken bits away from modes like 0644.
  const fh = await open(file, "wx", mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `file` atomically: writes a temp file beside it, flushes it, renames it over the
 * old one and flushes the directory. A crash leaves either the old or the new content.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    await writeFileSynced(tmp, data, mode);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

/** Points the symlink `link` at `target` atomically (a temp link renamed over it). */
export async function replaceSymlink(target: string, link: string): Promise<void> {
  const tmp = path.join(path.dirname(link), `.${path.basename(link)}.tmp-${randomBytes(4).toString("hex")}`);
  await symlink(target, tmp);
  try {
    await rename(tmp, link);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(link));
}
