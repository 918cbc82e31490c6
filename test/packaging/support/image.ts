import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";
import { copyParts, env as stageEnv, last, stage, type Dockerfile, type Instruction, type Stage } from "./dockerfile.js";
import { ROOT, scratch } from "./paths.js";

/**
 * An image's runtime stage laid out in a directory instead of a container: the files its COPY
 * instructions put there, its environment and its start command (ENTRYPOINT + CMD), with the
 * image's absolute paths moved below `root`. What the tests run to check that the start command
 * starts the built program.
 */
export interface AssembledImage {
  /** Stands for the image's `/`. */
  root: string;
  /** WORKDIR, below `root`. */
  workdir: string;
  /** ENV of the runtime stage; values naming a VOLUME path point below `root`. */
  env: Record<string, string>;
  /** USER as numbers (what the process runs as when the tests run as root). */
  user: { uid: number; gid: number } | undefined;
  /** ENTRYPOINT + CMD with `node` as this Node and image paths below `root` (see `assemble`). */
  command: string[];
  /** The image's paths of VOLUME instructions. */
  volumes: string[];
}

/** How a build stage (`FROM … AS build`) is stood in for: the same npm script, run on this checkout. */
const BUILD_COMMANDS = ["npm run build", "npm run build:server", "npm run build && test -f packages/web/dist/index.html"];

function runs(s: Stage): Instruction[] {
  return s.instructions.filter((i) => i.keyword === "RUN");
}

/**
 * Lays out the files of `df`'s stage `target` (default "runtime"):
 * - `COPY --from=build /app/X` takes X from this checkout, whose `npm run build` is what the build
 *   stage runs (checked: the build stage's last RUN must be one of BUILD_COMMANDS);
 * - any other `--from` stage is run for real: its context COPYs into a scratch directory (its
 *   WORKDIR), then each RUN with `sh -c` there (`npm ci …` from the npm cache);
 * - context COPYs come from this checkout.
 * The start command keeps its words, except: `node` becomes this process's Node (the same
 * version as the image's, see the dockerfile test), `/usr/bin/tini --` is left out (PID 1's
 * reaping has no meaning outside a container), and absolute paths the image has are moved below
 * the root.
 */
export function assemble(df: Dockerfile, target = "runtime"): AssembledImage {
  const runtime = stage(df, target);
  const root = scratch(`image-${basename(df.file).toLowerCase().replace(/[^a-z0-9]+/g, "-")}`);
  chmodSync(root, 0o755);
  const ran = new Map<string, string>();

  const stageDir = (name: string): string => {
    const known = ran.get(name);
    if (known) return known;
    const s = stage(df, name);
    const build = runs(s).at(-1)?.rest;
    let dir: string;
    if (name === "build") {
      if (!build || !BUILD_COMMANDS.includes(build)) throw new Error(`${df.file}: the build stage runs ${JSON.stringify(build)}, not an npm build script`);
      dir = ROOT; // /app of the build stage = this checkout, built with the same script
    } else {
      dir = join(scratch(`stage-${name}`), "fs");
      const workdir = join(dir, last(s, "WORKDIR")?.args[0] ?? "/");
      mkdirSync(workdir, { recursive: true });
      for (const ins of s.instructions) {
        if (ins.keyword === "COPY") {
          if (ins.flags.from) throw new Error(`${df.file}: stage ${name} copies from another stage; not supported here`);
          copyInto(ins, (p) => join(ROOT, p), (p) => (p.startsWith("/") ? join(dir, p) : join(workdir, p)));
        } else if (ins.keyword === "RUN") {
          execFileSync("sh", ["-c", ins.rest], {
            cwd: workdir,
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, npm_config_prefer_offline: "true", npm_config_loglevel: "error" },
          });
        }
      }
    }
    ran.set(name, dir);
    return dir;
  };

  let workdir = "/";
  for (const ins of runtime.instructions) {
    if (ins.keyword === "WORKDIR") workdir = posix.resolve(workdir, ins.args[0]!);
    if (ins.keyword !== "COPY") continue;
    const from = ins.flags.from;
    const source = (p: string): string => {
      if (!from) return join(ROOT, p);
      if (from === "build") return stageDir("build") && join(ROOT, stripApp(p));
      return join(stageDir(from), p);
    };
    copyInto(ins, source, (p) => join(root, posix.resolve(workdir, p)));
  }

  const user = parseUser(last(runtime, "USER")?.args[0]);
  const volumes = runtime.instructions.filter((i) => i.keyword === "VOLUME").flatMap((i) => i.args);
  for (const v of volumes) {
    // What the stage's `install -d -o UID -g GID -m MODE <volume>` makes of it.
    const made = runtime.instructions
      .filter((i) => i.keyword === "RUN")
      .map((i) => new RegExp(`install -d -o (\\d+) -g (\\d+) -m (0[0-7]{3}) ${v.replace(/[.]/g, "\\.")}(?:\\s|$)`).exec(i.rest))
      .find(Boolean);
    if (!made) throw new Error(`${df.file}: VOLUME ${v} is not created with install -d -o -g -m in the runtime stage`);
    mkdirSync(join(root, v), { recursive: true });
    chmodSync(join(root, v), Number.parseInt(made[3]!, 8));
    if (process.getuid?.() === 0) chownSync(join(root, v), Number(made[1]), Number(made[2]));
  }
  const env = stageEnv(runtime);
  for (const [k, v] of Object.entries(env)) {
    if (volumes.some((vol) => v === vol || v.startsWith(`${vol}/`))) env[k] = join(root, v);
  }

  const entrypoint = last(runtime, "ENTRYPOINT");
  const cmd = last(runtime, "CMD");
  if (!entrypoint?.json || (cmd && !cmd.json)) throw new Error(`${df.file}: ENTRYPOINT and CMD must be in exec (JSON) form`);
  let words = [...entrypoint.args, ...(cmd?.args ?? [])];
  if (words[0] === "/usr/bin/tini" && words[1] === "--") words = words.slice(2);
  const command = words.map((w, i) => {
    if (i === 0 && w === "node") return process.execPath;
    if (w.startsWith("/") && existsSync(join(root, w))) return join(root, w);
    return w;
  });
  return { root, workdir: join(root, workdir), env, user, command, volumes };
}

function stripApp(p: string): string {
  if (!p.startsWith("/app/")) throw new Error(`COPY --from=build source ${p} is not under /app`);
  return p.slice("/app/".length);
}

/** Docker's COPY for the forms used here: a directory's contents into dest, a file to dest or dest/. */
function copyInto(ins: Instruction, source: (p: string) => string, dest: (p: string) => string): void {
  const { sources, dest: to } = copyParts(ins);
  for (const s of sources) {
    const from = source(s);
    if (!existsSync(from)) throw new Error(`line ${ins.line}: COPY source ${s} does not exist (${from})`);
    const isDir = statSync(from).isDirectory();
    const target = isDir || !to.endsWith("/") ? dest(to) : join(dest(to), basename(s));
    mkdirSync(isDir ? target : dirname(target), { recursive: true });
    cpSync(from, target, { recursive: true, verbatimSymlinks: true });
  }
}

function parseUser(user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user) return undefined;
  const [u, g] = user.split(":");
  if (!/^\d+$/.test(u!) || (g !== undefined && !/^\d+$/.test(g))) throw new Error(`USER ${user}: use numeric ids (runAsNonRoot needs them)`);
  return { uid: Number(u), gid: Number(g ?? u) };
}

/** Options for spawning an assembled image's command: its environment, as its user when allowed. */
export function spawnOptions(image: AssembledImage, overrides: Record<string, string>): { cwd: string; env: Record<string, string>; uid?: number; gid?: number } {
  const asUser = image.user && process.getuid?.() === 0 ? { uid: image.user.uid, gid: image.user.gid } : {};
  // A container's environment: the image's ENV and what the test sets, nothing of the test's own
  // (a DATABASE_URL there must not reach the program), PATH so `node` and HAProxy are found.
  return { cwd: image.workdir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...image.env, ...overrides }, ...asUser };
}
