import { readFile, writeFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { readAllStdin, type Io } from "./terminal.js";

// fatal: refuse bytes that are not UTF-8 rather than replace them; ignoreBOM: keep a BOM as
// content, so that what is saved is what is in the file, byte for byte.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of a file given on the command line (`-` is stdin), exactly as it is on disk. */
export async function readTextFile(io: Io, path: string, flag = "-f"): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = path === "-" ? await readAllStdin(io) : await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new UsageError(`cannot read ${path} (${flag}): ${why}`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UsageError(`${path} is not UTF-8 text`);
  }
}

/** Writes `content` to a file given on the command line (`-` is stdout), byte for byte. */
export async function writeTextFile(io: Io, path: string, content: string): Promise<void> {
  if (path === "-") {
    io.stdout.write(content);
    return;
  }
  try {
    await writeFile(path, content);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as Error).message}`);
  }
}
