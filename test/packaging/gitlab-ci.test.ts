import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { GitServerProject, git, GITLAB_GLOBAL_KEYWORDS, GITLAB_JOB_KEYWORDS, pipelineVariables, runJobScript } from "./support/ci.js";
import { parseDockerfile } from "./support/dockerfile.js";
import { K8S, ROOT } from "./support/paths.js";

type Job = Record<string, any>;
const ci = parse(readFileSync(join(ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, any>;
const stages = ci.stages as string[];
const jobNames = Object.keys(ci).filter((k) => !GITLAB_GLOBAL_KEYWORDS.has(k) && !k.startsWith("."));

/** A job with its `extends` applied (hashes merged deeply, everything else replaced, as GitLab does). */
function resolved(name: string): Job {
  const merge = (a: any, b: any): any =>
    a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)
      ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]]))
      : b;
  const job = ci[name] as Job;
  const parents = ([] as string[]).concat(job.extends ?? []);
  const base = parents.reduce((acc, p) => merge(acc, resolved(p)), {} as Job);
  const { extends: _e, ...own } = job;
  return merge(base, own);
}
/** The major version of the PostgreSQL client tools on this (Debian) machine. */
function pgClientMajor(): string {
  return /\(PostgreSQL\) (\d+)/.exec(execFileSync("pg_dump", ["--version"], { encoding: "utf8" }))![1]!;
}
const scriptOf = (job: Job) => ([] as string[]).concat(job.before_script ?? [], job.script ?? []).join("\n");

describe(".gitlab-ci.yml", () => {
  it("is well-formed: known keywords, every job in a declared stage with a script, needs pointing at earlier jobs", () => {
    expect(stages).toEqual(["test", "build", "deploy"]);
    expect(jobNames.sort()).toEqual(["agent-bundle", "deploy", "images", "test"]);
    for (const key of Object.keys(ci).filter((k) => k.startsWith("."))) {
      expect(jobNames.some((j) => ([] as string[]).concat(ci[j].extends ?? []).includes(key)), `${key} is used`).toBe(true);
    }
    for (const name of [...jobNames, ...Object.keys(ci).filter((k) => k.startsWith("."))]) {
      expect(Object.keys(ci[name]).filter((k) => !GITLAB_JOB_KEYWORDS.has(k)), `${name}: unknown keywords`).toEqual([]);
    }
    for (const name of jobNames) {
      const job = resolved(name);
      expect(stages, `${name}: stage`).toContain(job.stage);
      expect(Array.isArray(job.script) && job.script.length > 0 && job.script.every((l: unknown) => typeof l === "string"), `${name}: script`).toBe(true);
      for (const need of ([] as (string | { job: string })[]).concat(job.needs ?? [])) {
        const needed = typeof need === "string" ? need : need.job;
        expect(jobNames, `${name} needs ${needed}`).toContain(needed);
        expect(stages.indexOf(resolved(needed).stage), `${name} needs ${needed} from a later stage`).toBeLessThanOrEqual(stages.indexOf(job.stage));
      }
      for (const rule of job.rules ?? []) expect(Object.keys(rule).filter((k) => !["if", "when", "changes", "exists", "allow_failure", "variables", "needs"].includes(k))).toEqual([]);
    }
    for (const rule of ci.workflow.rules) expect(Object.keys(rule).filter((k) => !["if", "when", "changes", "exists", "variables"].includes(k))).toEqual([]);
  });

  it("tests with the README's command on the images' Node, against the PostgreSQL major of Debian's client tools", () => {
    const test = resolved("test");
    expect(test.script).toEqual([".ci/run"]);
    accessSync(join(ROOT, ".ci/run"), constants.X_OK);
    const nodeImage = parseDockerfile(join(ROOT, "Dockerfile.master")).globalArgs.NODE_IMAGE;
    expect(ci.variables.NODE_IMAGE).toBe(nodeImage);
    expect(test.image).toBe("$NODE_IMAGE");
    // pg_dump refuses a newer server: the service runs the major of the client the job installs.
    expect(test.services[0].name).toMatch(new RegExp(`^postgres:${pgClientMajor()}\\.\\d+-bookworm@sha256:[0-9a-f]{64}$`));
    // The tools the tests call that npm test does not install itself.
    const apt = (test.before_script as string[]).find((l) => l.includes("apt-get install"))!;
    for (const pkg of ["git", "openssl", "postgresql-client", "systemd"]) expect(apt.split(/\s+/), pkg).toContain(pkg);
    expect(test.variables.TEST_DATABASE_URL).toBe(`postgres://postgres@${test.services[0].alias}:5432/${test.variables.POSTGRES_DB}`);
  });

  it("builds each of the three images from its Dockerfile, tagged with the short commit SHA", () => {
    const images = resolved("images");
    expect(images.stage).toBe("build");
    const names = images.parallel.matrix[0].IMAGE as string[];
    expect(names.sort()).toEqual(["agent", "frontend", "master"]);
    for (const n of names) expect(existsSync(join(ROOT, `Dockerfile.${n}`)), n).toBe(true);
    const script = scriptOf(images);
    expect(script).toMatch(/docker build --file "Dockerfile\.\$IMAGE"/);
    expect(script).toMatch(/--tag "\$CI_REGISTRY_IMAGE\/\$IMAGE:\$CI_COMMIT_SHORT_SHA"/);
    expect(script).toMatch(/docker push "\$CI_REGISTRY_IMAGE\/\$IMAGE:\$CI_COMMIT_SHORT_SHA"/);
    expect(scriptOf(resolved("agent-bundle"))).toMatch(/sh deploy\/agent\/build-bundle\.sh /);
  });

  it("deploys only from the default branch, after the images, one pipeline at a time", () => {
    const deploy = resolved("deploy");
    expect(deploy.stage).toBe("deploy");
    expect(deploy.needs).toEqual(["images"]);
    expect(deploy.rules).toEqual([{ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" }]);
    expect(deploy.resource_group).toBeTruthy();
    const base = parse(readFileSync(join(K8S, "base/kustomization.yaml"), "utf8")) as { images: { name: string }[] };
    for (const { name } of base.images) {
      expect(scriptOf(deploy)).toContain(`kustomize edit set image "${name}=$CI_REGISTRY_IMAGE/${name.split("/")[1]}:$CI_COMMIT_SHORT_SHA"`);
    }
  });

  describe("the deploy job's script, run against a git server", () => {
    const deploy = resolved("deploy");
    // before_script: `apk add` installs git and kustomize in the job's image; here they are on the PATH.
    const before = (deploy.before_script as string[]).filter((l) => !l.startsWith("apk add "));
    expect(before).toHaveLength((deploy.before_script as string[]).length - 1);
    const lines = [...before, ...(deploy.script as string[])];

    it("commits the new image tags to the default branch with [skip ci], changing nothing else, once", () => {
      const project = new GitServerProject();
      const sha = project.head();
      const vars = pipelineVariables(project, sha);
      const job = project.checkout(sha);
      const run = runJobScript(project, job, lines, vars);
      expect(run.status, run.output).toBe(0);
      expect(run.output).toMatch(new RegExp(`deployed images ${vars.CI_COMMIT_SHORT_SHA}`));

      const head = project.head();
      expect(git(project.server, "log", "-1", "--format=%s|%an", head)).toBe(`deploy: images ${vars.CI_COMMIT_SHORT_SHA} [skip ci]|HA-Master CI`);
      expect(git(project.server, "rev-parse", `${head}^`)).toBe(sha);
      expect(git(project.server, "diff", "--name-only", sha, head)).toBe("deploy/k8s/base/kustomization.yaml");
      const changed = git(project.server, "diff", "--unified=0", sha, head)
        .split("\n")
        .filter((l) => /^[+-] /.test(l));
      expect(changed.sort()).toEqual(
        [
          "-  newName: registry.example.com/ha-master/frontend",
          "-  newName: registry.example.com/ha-master/master",
          "-  newTag: 0.1.0",
          "-  newTag: 0.1.0",
          `+  newName: ${vars.CI_REGISTRY_IMAGE}/frontend`,
          `+  newName: ${vars.CI_REGISTRY_IMAGE}/master`,
          `+  newTag: ${vars.CI_COMMIT_SHORT_SHA}`,
          `+  newTag: ${vars.CI_COMMIT_SHORT_SHA}`,
        ].sort(),
      );

      // A retried job finds its tags already there and pushes nothing.
      const retry = runJobScript(project, project.checkout(sha), lines, vars);
      expect(retry.status, retry.output).toBe(0);
      expect(retry.output).toMatch(/the base already deploys/);
      expect(project.head()).toBe(head);
    });

    it("leaves the deployment to the newer pipeline when the branch moved on", () => {
      const project = new GitServerProject();
      const old = project.head();
      const newer = project.commit("a later change", "README.md", "ha-master, later\n");
      const run = runJobScript(project, project.checkout(old), lines, pipelineVariables(project, old));
      expect(run.status, run.output).toBe(0);
      expect(run.output).toMatch(new RegExp(`has a newer commit \\(${newer}\\)`));
      expect(project.head()).toBe(newer);
    });
  });
});
