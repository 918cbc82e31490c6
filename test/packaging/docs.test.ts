import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { join as joinMaster, MemoryStateStore, silentLogger } from "@ha-master/agent";
import { caPin } from "@ha-master/shared";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { startMaster, type MasterProcess } from "../support/master-process.js";
import { GitServerProject, git, runJobScript } from "./support/ci.js";
import { answeringConfig } from "./support/fleet.js";
import { parseDockerfile } from "./support/dockerfile.js";
import { masterSettingNames, operatorOverlay, secretReferences } from "./support/k8s.js";
import { find, podSpec, render } from "./support/kustomize.js";
import { MarkdownDoc } from "./support/markdown.js";
import { DEPLOY, K8S, ROOT, scratch } from "./support/paths.js";
import { admin, TEST_POSTGRES_URL } from "./support/postgres.js";
import { createSecrets, nastyDatabase } from "./support/secrets.js";

const k8sDoc = new MarkdownDoc(join(ROOT, "docs/deploy-kubernetes.md"));
const agentDoc = new MarkdownDoc(join(ROOT, "docs/agent-install.md"));
const docs = [k8sDoc, agentDoc];

/** Files of this repository that may point at sections of the docs. */
function pointers(): { file: string; doc: string; section: string }[] {
  const files = [
    ...execFileSync("git", ["ls-files", "deploy", "Dockerfile.*", ".gitlab-ci.yml", "packages/master/src", "packages/agent/src", "docs"], { cwd: ROOT, encoding: "utf8" }).split("\n"),
    ...execFileSync("git", ["ls-files", "--others", "--exclude-standard", "deploy", "docs"], { cwd: ROOT, encoding: "utf8" }).split("\n"),
  ].filter((f) => f && existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).size < 200_000);
  return files.flatMap((file) =>
    [...readFileSync(join(ROOT, file), "utf8").matchAll(/docs\/(deploy-kubernetes|agent-install)\.md, (?:section )?"?([A-Z][A-Za-z' ]*[A-Za-z])/g)].map((m) => ({
      file,
      doc: m[1]!,
      section: m[2]!,
    })),
  );
}

describe("docs/deploy-kubernetes.md and docs/agent-install.md", () => {
  const masters: MasterProcess[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(masters.map((m) => m.stop()));
    for (const d of drops) await d();
  });

  it("name only files that exist, and link only to headings that exist", () => {
    for (const doc of docs) {
      const paths = [...doc.text.matchAll(/`((?:deploy|docs|test|packages|\.ci)\/[\w./-]+|Dockerfile\.\w+|\.gitlab-ci\.yml|\.dockerignore)`/g)].map((m) => m[1]!);
      expect(paths.length).toBeGreaterThan(2);
      for (const p of new Set(paths)) expect(existsSync(join(ROOT, p)), `${relative(ROOT, doc.file)} names ${p}`).toBe(true);
      for (const link of doc.links().filter((l) => !/^https?:/.test(l))) {
        const [file, anchor] = link.split("#");
        const target = file ? new MarkdownDoc(join(dirname(doc.file), file)) : doc;
        if (anchor) expect(target.anchors(), `${relative(ROOT, doc.file)} links to ${link}`).toContain(anchor);
      }
    }
  });

  it("have every section that manifests, scripts and messages point readers to", () => {
    const found = pointers();
    expect(found.length).toBeGreaterThan(5);
    for (const p of found) {
      const doc = p.doc === "agent-install" ? agentDoc : k8sDoc;
      expect(doc.headings(), `${p.file} points to docs/${p.doc}.md, ${p.section}`).toContain(p.section);
    }
  });

  it("list every Secret and key the manifests use, and only settings the master has", () => {
    const secrets = k8sDoc.section("Secrets");
    const refs = new Set(
      [render(join(K8S, "overlays/single")), render(operatorOverlay("ha", ["cloudflare-tunnel", "own-ca"]))].flatMap(secretReferences).map((r) => r.replace(/\?$/, "")),
    );
    for (const ref of refs) {
      const [name, key] = ref.split("/");
      const row = secrets.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, `Secrets table row for ${name}`).toBeDefined();
      if (key !== "*") expect(row, ref).toContain(`\`${key}\``);
    }
    const known = masterSettingNames();
    const table = k8sDoc.section("Settings");
    const named = [...table.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?/gm)].flatMap((m) => [m[1]!, m[2]].filter((x): x is string => !!x));
    expect(named.filter((n) => !known.includes(n))).toEqual([]);
    const env = readFileSync(join(K8S, "base/master.env"), "utf8").match(/^[A-Z_]+(?==)/gm)!;
    expect(env.filter((n) => !named.includes(n))).toEqual([]);
  });

  describe("GitHub Actions", () => {
    const block = k8sDoc.codeBlocks(k8sDoc.section("GitHub Actions")).find((b) => b.lang === "yaml")!;
    const workflow = parse(block.code) as { on: any; env: Record<string, string>; jobs: Record<string, any> };

    it("is the GitLab pipeline's equivalent: test, the three images tagged with the short SHA, deploy from main only", () => {
      expect(Object.keys(workflow.jobs)).toEqual(["test", "images", "deploy"]);
      const { test, images, deploy } = workflow.jobs;
      expect(test.container.image).toBe(parseDockerfile(join(ROOT, "Dockerfile.master")).globalArgs.NODE_IMAGE);
      const gitlab = parse(readFileSync(join(ROOT, ".gitlab-ci.yml"), "utf8")).test;
      expect(test.services.postgres.image).toBe(gitlab.services[0].name);
      expect(test.steps.at(-1).run).toBe(".ci/run");
      const apt = (test.steps[0].run as string).split(/\s+/);
      for (const pkg of ["git", "openssl", "postgresql-client", "systemd"]) expect(apt, pkg).toContain(pkg);
      expect(images.needs).toBe("test");
      expect(images.strategy.matrix.image.sort()).toEqual(["agent", "frontend", "master"]);
      const build = images.steps.find((s: any) => String(s.uses).startsWith("docker/build-push-action"));
      expect(build.with.file).toBe("Dockerfile.${{ matrix.image }}");
      expect(build.with.tags).toBe("${{ env.REGISTRY_IMAGE }}/${{ matrix.image }}:${{ steps.tag.outputs.short }}");
      expect(deploy.needs).toBe("images");
      expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
      expect(deploy.permissions).toEqual({ contents: "write" });
      expect(deploy.concurrency.group).toBeTruthy();
      for (const job of Object.values(workflow.jobs)) for (const step of job.steps) expect(step.uses ?? step.run, JSON.stringify(step)).toBeTruthy();
    });

    it("its deploy step, run against a git server, commits the new tags with [skip ci]", () => {
      const step = workflow.jobs.deploy.steps.find((s: any) => s.run);
      const project = new GitServerProject(step.env.DEFAULT_BRANCH);
      const sha = project.head();
      const short = sha.slice(0, 8);
      const run = runJobScript(project, project.checkout(sha), [step.run], {
        GITHUB_SHA: sha,
        DEFAULT_BRANCH: step.env.DEFAULT_BRANCH,
        REGISTRY_IMAGE: workflow.env.REGISTRY_IMAGE!,
      });
      expect(run.status, run.output).toBe(0);
      expect(run.output).toContain(`deployed images ${short}`);
      const head = project.head();
      expect(git(project.server, "log", "-1", "--format=%s", head)).toBe(`deploy: images ${short} [skip ci]`);
      expect(git(project.server, "diff", "--name-only", sha, head)).toBe("deploy/k8s/base/kustomization.yaml");
      const base = parse(git(project.server, "show", `${head}:deploy/k8s/base/kustomization.yaml`)).images;
      expect(base).toEqual([
        { name: "ha-master/frontend", newName: `${workflow.env.REGISTRY_IMAGE}/frontend`, newTag: short },
        { name: "ha-master/master", newName: `${workflow.env.REGISTRY_IMAGE}/master`, newTag: short },
      ]);
    });
  });

  it("Bring your own CA: the documented openssl command makes a CA the master takes; join commands pin it and agents enrol", async () => {
    const section = k8sDoc.section("Bring your own CA");
    const command = k8sDoc.codeBlocks(section).find((b) => b.code.startsWith("openssl "))!.code;
    const dir = scratch("own-ca");
    const made = spawnSync("sh", ["-e", "-c", command], { cwd: dir, encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);

    // Where components/own-ca puts the secret's files, mapped to this directory.
    const master = podSpec(find(render(operatorOverlay("single", ["own-ca"])), "Deployment", "ha-master")).containers[0];
    const mount = master.volumeMounts.find((m: { name: string }) => m.name === "own-ca").mountPath as string;
    const env = Object.fromEntries(
      master.env.filter((e: any) => e.name.startsWith("HAMASTER_CA_")).map((e: any) => [e.name, join(dir, relative(mount, e.value))]),
    );
    expect(Object.keys(env).sort()).toEqual(["HAMASTER_CA_CERT_FILE", "HAMASTER_CA_KEY_FILE"]);
    const m = await startMaster(env);
    masters.push(m);
    const token = await m.login();
    const cluster = (await m.api(token, "POST", "/api/v1/clusters", { name: "own-ca" })).body;
    const enrol = (await m.api(token, "POST", "/api/v1/enrollment-tokens", { clusterId: cluster.id })).body;
    const ca = readFileSync(join(dir, "ca.crt"), "utf8");
    const parts = (enrol.joinCommand as string).split(/\s+/);
    const arg = (flag: string) => parts[parts.indexOf(flag) + 1]!;
    expect(arg("--ca-hash")).toBe(caPin(ca));

    const store = new MemoryStateStore();
    await joinMaster({ master: arg("--master"), token: enrol.token, caHash: arg("--ca-hash"), store, name: "own-ca-node", log: silentLogger() });
    const credentials = (await store.readCredentials())!;
    expect(caPin(credentials.caPem)).toBe(caPin(ca));
  });

  it("Backup and restore: the documented dump and restore bring back every version and the same CA", async () => {
    const scripts = [...k8sDoc.section("Backup and restore").matchAll(/sh -c \\\n\s*'([^']*)'/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    const db = await nastyDatabase();
    drops.push(db.drop);
    // In the pod, the user is the database's superuser; dropping and creating the database is what
    // the restore needs of it.
    await admin((c) => c.query(`alter role ${c.escapeIdentifier(db.user)} createdb`));
    const secrets = createSecrets(["--dir", db.dir, "--db-host", "127.0.0.1", "--db-name", db.database]);
    const value = (name: string, key: string) => Buffer.from(secrets.objects.find((o) => o.metadata.name === name)!.data![key]!, "base64").toString();
    const env = { DATABASE_URL: value("ha-master-database", "url"), JWT_SECRET: value("ha-master-secrets", "jwt-secret"), CERT_ENCRYPTION_KEY: value("ha-master-secrets", "cert-encryption-key") };

    // Inside the pod the scripts reach PostgreSQL on its local socket as the user named in the
    // mounted secret; here that file is the secrets directory's, the database the test's.
    const inPod = (script: string) => script.replaceAll("/run/secrets/postgres/username", join(db.dir, "db-user")).replace(/\bhamaster\b/g, db.database);
    // ...and the server the tests use stands for the pod's local one.
    const server = new URL(TEST_POSTGRES_URL);
    const pgEnv = { ...process.env, PGHOST: server.hostname, PGPORT: server.port || "5432" };

    const before = await startMaster(env);
    masters.push(before);
    let token = await before.login();
    const cluster = (await before.api(token, "POST", "/api/v1/clusters", { name: "backed-up" })).body;
    for (const n of [1, 2]) {
      const saved = await before.api(token, "POST", `/api/v1/clusters/${cluster.id}/configs`, { content: answeringConfig(8000 + n), message: `v${n}`, baseVersion: n - 1 });
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    }
    const pinBefore = (await before.api(token, "POST", "/api/v1/enrollment-tokens", { clusterId: cluster.id })).body.joinCommand.match(/--ca-hash (\S+)/)[1];
    await before.stop();

    const dump = join(scratch("backup"), "ha-master.dump");
    const backup = spawnSync("sh", ["-c", inPod(scripts[0]!)], { env: pgEnv, encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
    expect(backup.status, backup.stderr.toString()).toBe(0);
    writeFileSync(dump, backup.stdout);
    expect(backup.stdout.subarray(0, 5).toString()).toBe("PGDMP"); // the custom format

    // Something happens after the backup that the restore must undo.
    await admin(async (c) => c.query(`drop database ${c.escapeIdentifier(db.database)} with (force)`));
    await admin(async (c) => c.query(`create database ${c.escapeIdentifier(db.database)} owner ${c.escapeIdentifier(db.user)}`));

    const restore = spawnSync("sh", ["-c", inPod(scripts[1]!)], { env: pgEnv, input: readFileSync(dump), encoding: "buffer" });
    expect(restore.status, restore.stderr.toString()).toBe(0);

    const after = await startMaster(env);
    masters.push(after);
    token = await after.login();
    const versions = (await after.api(token, "GET", `/api/v1/clusters/${cluster.id}/configs`)).body.items.map((v: { message: string }) => v.message);
    expect(versions.sort()).toEqual(["v1", "v2"]);
    const pinAfter = (await after.api(token, "POST", "/api/v1/enrollment-tokens", { clusterId: cluster.id })).body.joinCommand.match(/--ca-hash (\S+)/)[1];
    expect(pinAfter).toBe(pinBefore);
  });

  it("the agent doc's install and image sections match the script's options and the image's variables", () => {
    const install = readFileSync(join(DEPLOY, "agent/install.sh"), "utf8");
    const options = [...install.matchAll(/^ {4}(--[a-z-]+)\)/gm)].map((m) => m[1]!);
    const table = agentDoc.section("3. Install");
    for (const o of options) expect(table, `install.sh ${o} is documented`).toContain(`\`${o}`);
    const entrypoint = readFileSync(join(DEPLOY, "agent/docker-entrypoint.sh"), "utf8");
    const variables = [...new Set([...entrypoint.matchAll(/\$\{?(HA_AGENT_[A-Z_]+)/g)].map((m) => m[1]!))].filter((v) => v !== "HA_AGENT_STATE_DIR");
    const image = agentDoc.section("The agent image");
    for (const v of variables) expect(image, `${v} is documented`).toContain(`\`${v}\``);
    expect(readdirSync(join(DEPLOY, "agent")).sort()).toEqual(["build-bundle.sh", "docker-entrypoint.sh", "ha-agent.service", "install.sh"]);
  });
});
