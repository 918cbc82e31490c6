import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kustomizeBin } from "./kustomize.js";
import { K8S, scratch } from "./paths.js";

/** Keywords a GitLab CI job may use (docs.gitlab.com/ci/yaml), for catching misspelt keys. */
export const GITLAB_JOB_KEYWORDS = new Set([
  "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dast_configuration", "dependencies",
  "environment", "extends", "hooks", "identity", "id_tokens", "image", "inherit", "interruptible", "manual_confirmation",
  "needs", "pages", "parallel", "release", "resource_group", "retry", "rules", "run", "script", "secrets", "services",
  "stage", "tags", "timeout", "trigger", "variables", "when",
]);
/** Top-level keywords that are not jobs. */
export const GITLAB_GLOBAL_KEYWORDS = new Set(["default", "include", "stages", "variables", "workflow", "spec"]);

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A clean git environment: no system or user configuration; a developer identity unless a job sets its own. */
function gitEnv(extra: Record<string, string> = {}, identity = true): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: scratchHome,
    GIT_CONFIG_NOSYSTEM: "1",
    ...(identity ? { GIT_AUTHOR_NAME: "dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "dev", GIT_COMMITTER_EMAIL: "dev@example.com" } : {}),
    ...extra,
  };
}
const scratchHome = scratch("ci-home");

/**
 * A project as GitLab would hold it: a bare repository (the server) whose default branch has this
 * repository's deploy/k8s, and a way to make the checkout a CI job starts in.
 */
export class GitServerProject {
  readonly server: string;
  private readonly seed: string;

  constructor(readonly defaultBranch = "main") {
    const dir = scratch("ci-project");
    this.server = join(dir, "server.git");
    execFileSync("git", ["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, this.server], { env: gitEnv() });
    this.seed = join(dir, "seed");
    execFileSync("git", ["clone", "--quiet", this.server, this.seed], { env: gitEnv(), stdio: "ignore" });
    mkdirSync(join(this.seed, "deploy"), { recursive: true });
    cpSync(K8S, join(this.seed, "deploy/k8s"), { recursive: true });
    this.commit("initial import", "README.md", "ha-master\n");
  }

  /** Commits a file change to the default branch on the server; returns the commit. */
  commit(message: string, file: string, content: string): string {
    if (git(this.seed, "ls-remote", "origin", this.defaultBranch)) git(this.seed, "pull", "--quiet", "origin", this.defaultBranch);
    writeFileSync(join(this.seed, file), content);
    git(this.seed, "add", "-A");
    git(this.seed, "commit", "--quiet", "-m", message);
    git(this.seed, "push", "--quiet", "origin", `HEAD:${this.defaultBranch}`);
    return git(this.seed, "rev-parse", "HEAD");
  }

  head(): string {
    return git(this.server, "rev-parse", this.defaultBranch);
  }

  /** A job's working copy: a clone detached at `sha`, as the runner checks it out. */
  checkout(sha: string): string {
    const dir = join(scratch("ci-job"), "project");
    execFileSync("git", ["clone", "--quiet", this.server, dir], { env: gitEnv(), stdio: "ignore" });
    git(dir, "checkout", "--quiet", "--detach", sha);
    return dir;
  }
}

/** The predefined variables of a pipeline on `branch` of the project at `sha`. */
export function pipelineVariables(project: GitServerProject, sha: string, branch = project.defaultBranch): Record<string, string> {
  return {
    CI_COMMIT_SHA: sha,
    CI_COMMIT_SHORT_SHA: sha.slice(0, 8),
    CI_COMMIT_BRANCH: branch,
    CI_DEFAULT_BRANCH: project.defaultBranch,
    CI_SERVER_PROTOCOL: "https",
    CI_SERVER_HOST: "gitlab.example.test",
    CI_SERVER_PORT: "443",
    CI_PROJECT_PATH: "platform/ha-master",
    CI_REGISTRY_IMAGE: "registry.example.test/platform/ha-master",
    DEPLOY_PUSH_TOKEN: "glpat-test-token",
  };
}

/**
 * Runs job script lines with sh in `cwd`, with the pipeline's variables and the pinned kustomize
 * as `kustomize` on the PATH. A GitLab job's push URL (https://oauth2:TOKEN@HOST:PORT/PATH.git) is
 * rewritten to the server repository with git's url.insteadOf, so the script runs unchanged.
 */
export function runJobScript(project: GitServerProject, cwd: string, lines: string[], variables: Record<string, string>): { status: number | null; output: string } {
  const bin = scratch("ci-bin");
  symlinkSync(kustomizeBin(), join(bin, "kustomize"));
  // GitLab's job pushes to this URL; a GitHub job pushes to `origin`, which is the server already.
  const rewrite: Record<string, string> = variables.DEPLOY_PUSH_TOKEN
    ? {
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: `url.${project.server}.insteadOf`,
        GIT_CONFIG_VALUE_0: `${variables.CI_SERVER_PROTOCOL}://oauth2:${variables.DEPLOY_PUSH_TOKEN}@${variables.CI_SERVER_HOST}:${variables.CI_SERVER_PORT}/${variables.CI_PROJECT_PATH}.git`,
      }
    : {};
  const env = gitEnv({ ...variables, PATH: `${bin}:${process.env.PATH}`, ...rewrite }, false);
  // GitLab runs the lines of before_script and script in one shell, stopping at the first failure.
  const r = spawnSync("sh", ["-e", "-c", lines.join("\n")], { cwd, env, encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}
