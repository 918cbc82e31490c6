import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { BUNDLE_CONFIG_PATH, haproxyProblems, type BundleFile, type HaproxyMessage } from "@ha-master/shared";

const run = promisify(execFile);

export interface HaproxyCheckResult {
  ok: boolean;
  messages: HaproxyMessage[];
  /** The scratch directory the bundle was checked in (gone by now), to recognise its paths. */
  dir: string;
}

/**
 * Runs `haproxy -c` on a bundle exactly as it will run: the files are written to a scratch
 * directory with their modes and the config is checked there. At most `concurrency` checks run
 * at once, so a burst of validations cannot fork a process per request.
 */
export function haproxyChecker(bin: string, { concurrency = 2, timeoutMs = 15_000 } = {}) {
  let running = 0;
  const waiting: (() => void)[] = [];
  let version: Promise<string | null> | undefined;

  async function slot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  return {
    /** `haproxy -v`'s version, or null when no HAProxy binary is installed here. */
    version(): Promise<string | null> {
      version ??= run(bin, ["-v"], { timeout: timeoutMs }).then(
        ({ stdout }) => /version (\S+)/.exec(stdout)?.[1] ?? "unknown",
        () => null,
      );
      return version;
    },

    /** `env`: variables the config references, set for the check (see node-variables.ts). */
    check(files: readonly BundleFile[], env: Record<string, string> = {}): Promise<HaproxyCheckResult> {
      return slot(async () => {
        const dir = await mkdtemp(join(tmpdir(), "ha-master-check-"));
        try {
          for (const file of files) {
            const path = join(dir, file.path);
            await mkdir(dirname(path), { recursive: true, mode: 0o700 });
            await writeFile(path, file.content, { mode: file.mode });
            await chmod(path, file.mode);
          }
          try {
            const { stderr } = await run(bin, ["-c", "-f", join(dir, BUNDLE_CONFIG_PATH)], {
              timeout: timeoutMs,
              cwd: dir,
              env: { ...env, PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
            });
            return { ok: true, messages: haproxyProblems(stderr), dir };
          } catch (err) {
            const e = err as { stderr?: string; stdout?: string; killed?: boolean; message: string };
            const text = (e.stderr ?? "") + (e.stdout ?? "");
            const messages = haproxyProblems(text);
            if (e.killed) messages.push({ severity: "alert", message: `haproxy -c did not finish within ${timeoutMs} ms` });
            if (messages.length === 0) messages.push({ severity: "alert", message: e.message });
            return { ok: false, messages, dir };
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    },
  };
}

export type HaproxyChecker = ReturnType<typeof haproxyChecker>;
