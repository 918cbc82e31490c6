import { appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN_PASSWORD, startMaster, type MasterProcess } from "../support/master-process.js";
import { freePort } from "../support/processes.js";
import { joinAndRun, startBackend, type ConsoleAgent } from "./agent.js";
import { dropFiles, expectSoundPage, LAPTOP, launchChromium, logIn, newConsoleContext, pageProblems, pasteIntoEditor, screenshot } from "./browser.js";
import { edgeConfig, selfSignedPem } from "./fixtures.js";

/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against a real,
 * built ha-master on a fresh embedded database, following an operator's first day: log in, create
 * a cluster, write and fix a config, diff versions, upload a certificate, read the audit log,
 * enrol a real agent and watch deployments complete, log out. Saves docs/screenshots/*.png.
 */
describe("the web console", () => {
  let master: MasterProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let backend: { port: number; close(): Promise<void> };
  let deadPort = 0;
  let agent: ConsoleAgent | undefined;
  const PEM = selfSignedPem("edge.example.test", 20);

  beforeAll(async () => {
    master = await startMaster({ LOGIN_RATE_LIMIT_PER_MINUTE: "3", HEARTBEAT_INTERVAL_SECONDS: "2", DEPLOY_ACK_TIMEOUT_SECONDS: "20" });
    backend = await startBackend();
    deadPort = await freePort();
    browser = await launchChromium();
    context = await newConsoleContext(browser);
    page = await context.newPage();
    page.on("console", (m) => void (m.type() === "error" && consoleErrors.push(m.text())));
    page.on("pageerror", (e) => void consoleErrors.push(String(e)));
    page.setDefaultTimeout(15_000);
  });

  // A failed step leaves a picture of the page and the browser's console errors behind.
  const consoleErrors: string[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || page.isClosed()) return;
    const path = join(tmpdir(), `web-console-failure-${ctx.task.name.replace(/\W+/g, "-").slice(0, 60)}.png`);
    await page.screenshot({ path }).catch(() => undefined);
    console.error(`web console: page ${page.url()} saved to ${path}; browser errors: ${consoleErrors.join("\n") || "none"}`);
  });

  afterAll(async () => {
    await agent?.stop();
    await browser?.close();
    await backend?.close();
    await master?.stop();
  });

  const heading = (name: string | RegExp) => page.getByRole("heading", { level: 1, name });
  const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name });
  const clusterTab = (name: string) => page.getByRole("navigation", { name: "Cluster" }).getByRole("link", { name, exact: true });

  /** Logs in and waits for the master's answer (a failed attempt clears the password field). */
  async function logInAndWait(p: Page, username: string, password: string) {
    const answered = p.waitForResponse((r) => r.url().endsWith("/auth/login"));
    await logIn(p, username, password);
    await answered;
  }

  async function saveVersion(message: string, version: number) {
    await page.getByRole("button", { name: /^Save…/ }).click();
    await page.getByLabel("Message").fill(message);
    await page.getByRole("button", { name: "Save version" }).click();
    await page.getByText(`Saved version ${version}`).waitFor();
  }

  it("explains a failed login: wrong password, then too many attempts", async () => {
    await page.goto(master.url);
    await page.waitForURL(/\/login$/);
    await logInAndWait(page, "admin", "not the password");
    const error = page.getByTestId("login-error");
    await expect(error.textContent()).resolves.toMatch(/Wrong username or password\.\s*Request id: web-[0-9a-f]{24}/);
    await screenshot(page, "login");

    // LOGIN_RATE_LIMIT_PER_MINUTE=3: three failures for one user, and the fourth attempt is refused.
    for (let i = 0; i < 4; i++) await logInAndWait(page, "mallory", "guess " + i);
    await error.getByText(/Too many failed logins\. Try again in \d+ s\./).waitFor();
    await expect(page.getByRole("button", { name: /Try again in \d+ s/ }).isDisabled()).resolves.toBe(true);
  });

  it("logs in; the session survives a reload and no script can read a long-lived token", async () => {
    await page.reload();
    await logIn(page, "admin", ADMIN_PASSWORD);
    await heading("Dashboard").waitFor();
    await page.getByTestId("dashboard-ready").waitFor();

    const cookie = (await context.cookies()).find((c) => c.name === "ham_refresh");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/auth" });
    const readable = await page.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length }));
    expect(readable).toEqual({ cookie: "", local: 0, session: 0 });

    await page.reload();
    await page.getByTestId("dashboard-ready").waitFor();
    await page.getByText("No nodes yet", { exact: true }).waitFor();
    await page.getByText("No deployments yet. Save a config version in a cluster and deploy it.").waitFor();
    await screenshot(page, "dashboard-empty");
  });

  it("creates a cluster, which shows a useful empty state before any node joins", async () => {
    await nav("Clusters").click();
    await page.getByText("No clusters yet").waitFor();
    await page.getByRole("button", { name: "New cluster" }).click();
    await page.getByLabel("Name").fill("edge");
    await page.getByLabel("Description").fill("Edge layer: three HAProxy nodes behind a VIP");
    await page.getByRole("button", { name: "Create cluster" }).click();
    await heading("edge").waitFor();
    await page.getByText("No nodes in edge yet").waitFor();
    expect(await page.getByRole("link", { name: "Create a join token" }).getAttribute("href")).toBe("/enrollment?cluster=edge");
    await screenshot(page, "cluster-new");
  });

  it("marks the error of a pasted config on its line", async () => {
    await clusterTab("Config").click();
    await page.getByText("This cluster has no config yet.").waitFor();
    await pasteIntoEditor(page, edgeConfig({ backendPort: backend.port, deadPort, typo: true }));
    await page.getByRole("button", { name: "Validate" }).click();

    const panel = page.getByTestId("problems-panel");
    await panel.getByRole("heading", { name: "1 error" }).waitFor();
    // The error; the frontend also gets the master's keep-alive advice (a warning on line 11).
    const problem = panel.getByTestId("problem").filter({ hasText: "unknown keyword" });
    expect(await problem.getAttribute("data-line")).toBe("12");
    await expect(problem.textContent()).resolves.toMatch(/unknown keyword 'bnd' in 'frontend' section/);

    // The gutter marker sits on line 12, and the underline covers that line's text.
    const marker = page.locator(".cm-gutter-lint .cm-gutterElement", { has: page.locator(".cm-lint-marker-error") });
    const line12 = page.locator(".cm-line").nth(11);
    const [markerBox, lineBox] = [await marker.boundingBox(), await line12.boundingBox()];
    expect(Math.abs(markerBox!.y - lineBox!.y)).toBeLessThan(3);
    await expect(page.locator(".cm-lintRange-error").textContent()).resolves.toBe('    bnd "127.0.0.1:${NODE_PORT}"');
    await screenshot(page, "config-validation");
  });

  it("fixes the line, validates and saves; saves a second version", async () => {
    await page.getByTestId("problem").getByRole("button", { name: "line 12" }).click();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.type("i");
    await page.getByRole("button", { name: "Validate" }).click();
    await page.getByTestId("problems-panel").getByRole("heading", { name: "Valid" }).waitFor();
    await saveVersion("First edge config", 1);
    await page.getByText("Editing on top of version 1").waitFor();

    await pasteIntoEditor(page, edgeConfig({ backendPort: backend.port, deadPort, second: true, maxconn: 500 }));
    await saveVersion("Add app2, raise maxconn", 2);
    await screenshot(page, "config-editor");
  });

  it("diffs two versions side by side", async () => {
    await clusterTab("History").click();
    await page.getByRole("cell", { name: /Add app2, raise maxconn/ }).waitFor();
    await screenshot(page, "history");
    await page.getByRole("button", { name: "Compare v1 → v2" }).click();
    await page.waitForURL(/\/clusters\/edge\/configs\/diff\?from=1&to=2$/);
    const summary = page.getByTestId("diff-summary");
    await summary.getByText("+ server app/app2").waitFor();
    await summary.getByText("~ global").waitFor();
    const sides = page.getByTestId("side-by-side").locator(".cm-editor");
    await sides.nth(1).waitFor();
    await expect(sides.count()).resolves.toBe(2);
    await page.locator(".cm-changedLine", { hasText: "server app2" }).first().waitFor();
    await screenshot(page, "diff");
  });

  it("uploads a certificate by drag and drop, never shows its key, and lists the configs using it", async () => {
    await nav("Certificates").click();
    await page.getByText("No certificates yet").waitFor();
    await page.getByRole("button", { name: "Upload certificate" }).click();
    await dropFiles(page, '[data-testid="pem-drop-zone"]', [{ name: "edge-example.pem", text: PEM }]);
    await page.getByTestId("key-loaded").waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("edge-example");
    expect(await page.getByRole("dialog").textContent()).not.toContain("PRIVATE KEY");
    await page.getByRole("button", { name: "Upload", exact: true }).click();

    await heading("edge-example").waitFor();
    await page.getByText(/expires in (19|20) days/).first().waitFor();
    await page.getByText("CN=edge.example.test").first().waitFor();
    expect(await page.content()).not.toContain("PRIVATE KEY");

    // Reference it from a third version; the certificate then names the config and line.
    await page.goto(`${master.url}/clusters/edge/configs`);
    await page.getByText("Editing on top of version 2").waitFor();
    await pasteIntoEditor(page, edgeConfig({ backendPort: backend.port, deadPort, second: true, maxconn: 500, tls: "certs/edge-example.pem" }));
    await saveVersion("Terminate TLS with edge-example", 3);
    await page.goto(`${master.url}/certificates/edge-example`);
    await page.getByText(/version 3 — line 13/).waitFor();
    await screenshot(page, "certificate");

    // The master refuses to delete a certificate the current config uses; the toast says why and
    // carries the request id of the refused call.
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete certificate" }).click();
    const toast = page.locator("[data-sonner-toast]", { hasText: "Could not delete the certificate" });
    await toast.getByText("certificate edge-example is referenced by the current config of: edge").waitFor();
    await expect(toast.getByTestId("toast-request-id").textContent()).resolves.toMatch(/^Request id: web-[0-9a-f]{24}$/);
    await screenshot(page, "error-toast", { toasts: true });
    await toast.getByRole("button", { name: "Close toast" }).click();
    await nav("Certificates").click();
    await page.getByRole("link", { name: "edge-example" }).waitFor();
    await screenshot(page, "certificates");
  });

  it("shows the audit entries, filters them and opens one", async () => {
    await nav("Audit log").click();
    await page.getByTestId("audit-row").first().waitFor();
    const actions = await page.getByTestId("audit-row").locator("td:nth-child(3)").allTextContents();
    expect(actions).toEqual(expect.arrayContaining(["config.create", "certificate.create", "cluster.create", "auth.login", "auth.login_failed"]));
    await screenshot(page, "audit");

    await page.getByLabel("Action").fill("config.*");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/action=config/);
    await expect.poll(async () => page.getByTestId("audit-row").locator("td:nth-child(3)").allTextContents()).toEqual(["config.create", "config.create", "config.create"]);
    await page.getByRole("button", { name: /^Details of entry \d+: config.create/ }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Request id").waitFor();
    await expect(dialog.textContent()).resolves.toContain("Terminate TLS with edge-example");
    await page.keyboard.press("Escape");

    // Pages of 50: 55 description changes make a second page, reached with Older and left with Newer.
    const token = await master.login();
    for (let i = 1; i <= 55; i++) {
      const description = i === 55 ? "Edge layer: three HAProxy nodes behind a VIP" : `Edge layer (draft ${i})`;
      expect((await master.api(token, "PATCH", "/api/v1/clusters/edge", { description })).status).toBe(200);
    }
    await page.getByLabel("Action").fill("cluster.update");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/action=cluster.update/);
    const rows = page.getByTestId("audit-row");
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole("button", { name: "Older" }).click();
    await expect.poll(() => rows.count()).toBe(5);
    expect(await page.getByRole("button", { name: "Older" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Newer" }).click();
    await expect.poll(() => rows.count()).toBe(50);
  });

  it("creates users; a viewer sees the save control locked and the API refuses it too", async () => {
    await nav("Users").click();
    for (const [name, role] of [["olivia", "operator"], ["vera", "viewer"]] as const) {
      await page.getByRole("button", { name: "New user" }).click();
      const dialog = page.getByRole("dialog", { name: "New user" });
      await dialog.getByLabel("Username").fill(name);
      await dialog.getByLabel("Password").fill(`${name} password 123`);
      await dialog.getByLabel("Role").selectOption(role);
      await dialog.getByRole("button", { name: "Create user" }).click();
      await page.getByRole("cell", { name }).waitFor();
    }
    await screenshot(page, "users");

    const viewer = await newConsoleContext(browser);
    const vp = await viewer.newPage();
    await vp.goto(`${master.url}/clusters/edge/configs`);
    await logIn(vp, "vera", "vera password 123");
    await vp.getByText("Editing on top of version 3").waitFor();
    const save = vp.getByRole("button", { name: /^Save…/ });
    expect(await save.isDisabled()).toBe(true);
    expect(await save.getAttribute("title")).toBe("Needs the operator role");
    expect(await vp.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).count()).toBe(0);
    await viewer.close();
    const token = await master.login("vera", "vera password 123");
    const refused = await master.api(token, "POST", "/api/v1/clusters/edge/configs", { content: "global\n", message: "x", baseVersion: 3 });
    expect(refused.status).toBe(403);

    // An admin changes a role and disables an account; the disabled account cannot log in.
    await page.getByLabel("Role of vera").selectOption("operator");
    await expect.poll(async () => (await master.api(await master.login(), "GET", "/api/v1/users")).body.items.find((u: { username: string }) => u.username === "vera")?.role).toBe("operator");
    await page.getByRole("row", { name: /vera/ }).getByRole("button", { name: "Disable" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Disable" }).click();
    await page.getByRole("row", { name: /vera/ }).getByText("disabled").waitFor();
    expect((await master.api("", "POST", "/auth/login", { username: "vera", password: "vera password 123" })).status).toBe(401);
  });

  it("never overwrites a newer version: shows their change and re-applies the edits on top", async () => {
    await page.goto(`${master.url}/clusters/edge/configs`);
    await page.getByText("Editing on top of version 3").waitFor();
    // Meanwhile olivia saves version 4 (maxconn 500 → 600, line 2) through the API.
    const olivia = await master.login("olivia", "olivia password 123");
    const v3 = (await master.api(olivia, "GET", "/api/v1/clusters/edge/configs/3")).body.content as string;
    const theirs = await master.api(olivia, "POST", "/api/v1/clusters/edge/configs", { content: v3.replace("maxconn 500", "maxconn 600"), message: "Raise maxconn to 600", baseVersion: 3 });
    expect(theirs.status).toBe(201);

    // The admin's own edit, on version 3: a longer client timeout (line 8).
    await pasteIntoEditor(page, v3.replace("timeout client 10s", "timeout client 30s"));
    await page.getByRole("button", { name: /^Save…/ }).click();
    await page.getByLabel("Message").fill("Longer client timeout");
    await page.getByRole("button", { name: "Save version" }).click();
    const stale = page.getByRole("dialog", { name: "Someone else saved first" });
    await stale.getByText(/Version 4 was saved since by\s*olivia: “Raise maxconn to 600”/).waitFor();
    await stale.getByText(/^\+\s+maxconn 600$/).waitFor();
    await stale.getByText(/touch different lines/).waitFor();
    await screenshot(page, "stale-base");
    await stale.getByRole("button", { name: "Re-apply my edits on v4" }).click();
    await page.getByText("Editing on top of version 4").waitFor();
    await saveVersion("Longer client timeout", 5);
    const v5 = (await master.api(olivia, "GET", "/api/v1/clusters/edge/configs/5")).body.content as string;
    expect(v5).toBe(v3.replace("maxconn 500", "maxconn 600").replace("timeout client 10s", "timeout client 30s"));
  });

  it("enrols a real agent with the join command and watches deployments complete, then rolls back", { timeout: 240_000 }, async () => {
    await nav("Enrolment").click();
    await page.getByRole("button", { name: "Create token" }).click();
    const command = (await page.getByTestId("join-command").textContent())!;
    expect(command).toMatch(/^ha-agent join --master \S+ --token \S+ --ca-hash sha256:[0-9a-f]{64}$/);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: master.url });
    await page.getByRole("button", { name: "Copy join command" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    await screenshot(page, "enrollment");

    agent = await joinAndRun(command, "edge-1", { NODE_TLS_PORT: String(await freePort()) });
    await nav("Nodes").click();
    await page.getByTestId("node-row").filter({ hasText: "online" }).waitFor({ timeout: 30_000 });

    const deploy = async (version: number) => {
      await page.goto(`${master.url}/clusters/edge/deployments?deploy=${version}`);
      await page.getByRole("button", { name: `Deploy v${version}` }).click();
      await page.waitForURL(/\/clusters\/edge\/deployments\/[0-9a-f-]{36}$/);
      await page.getByRole("heading", { name: `Deploy version ${version}` }).waitFor();
    };
    const succeeded = async () => {
      await page.getByTestId("deployment-status").getByText("succeeded").waitFor({ timeout: 60_000 });
      await page.getByTestId("target-row").filter({ hasText: "edge-1" }).getByText("succeeded").waitFor();
    };
    await deploy(2);
    await succeeded();

    // Version 3 while the agent is paused (SIGSTOP): the page shows the canary applying, live;
    // once the agent runs again the same page turns to succeeded from the event stream alone.
    process.kill(agent.proc.child.pid!, "SIGSTOP");
    try {
      await deploy(3);
      await page.getByTestId("target-row").filter({ hasText: "edge-1" }).getByText("applying").waitFor();
      await page.getByText("live", { exact: true }).waitFor();
      await screenshot(page, "deployment-live");
    } finally {
      process.kill(agent.proc.child.pid!, "SIGCONT");
    }
    const url = page.url();
    await succeeded();
    expect(page.url()).toBe(url);
    await screenshot(page, "deployment");
    expect(await (await fetch(`http://127.0.0.1:${agent.port}/`)).text()).toBe("app\n");

    await page.getByRole("button", { name: "Roll back to v2" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Roll back" }).click();
    await page.getByRole("heading", { name: /Rollback to version 2/ }).waitFor();
    await page.getByTestId("deployment-status").getByText("succeeded").waitFor({ timeout: 60_000 });

    await page.getByTestId("target-row").getByRole("link", { name: "edge-1" }).click();
    await heading("edge-1").waitFor();
    await page.getByText("in sync").waitFor({ timeout: 20_000 });
    await page.getByRole("row", { name: /app1.*UP/ }).waitFor({ timeout: 20_000 });
    await page.getByRole("row", { name: /app2.*DOWN/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, "node");

    await nav("Nodes").click();
    await page.getByTestId("node-row").waitFor();
    await screenshot(page, "nodes");
    await nav("Deployments").click();
    await page.getByTestId("deployment-row").nth(2).waitFor();
    await screenshot(page, "deployments");
    await nav("Dashboard").click();
    await page.getByTestId("dashboard-ready").waitFor();
    await page.getByText("All 1 nodes are online and on their deployed version.").waitFor();
    await screenshot(page, "dashboard");
    await nav("Clusters").click();
    await page.getByRole("cell", { name: "v5" }).waitFor();
    await screenshot(page, "clusters");

    // Version 6 reads an error page only the nodes have; this node lacks it, so its HAProxy check
    // refuses the bundle: the NACK's error is shown with the failing line of the config.
    const olivia = await master.login("olivia", "olivia password 123");
    const v5 = (await master.api(olivia, "GET", "/api/v1/clusters/edge/configs/5")).body.content as string;
    const broken = v5.replace("    timeout server 10s\n", "    timeout server 10s\n    errorfile 503 /nonexistent/ha-master-e2e/503.http\n");
    const saved = await master.api(olivia, "POST", "/api/v1/clusters/edge/configs", { content: broken, message: "Custom 503 page", baseVersion: 5 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    await deploy(6);
    await page.getByTestId("deployment-status").getByText("failed").waitFor({ timeout: 60_000 });
    const nack = page.getByTestId("nack-line").first();
    await nack.getByText(/^haproxy\.cfg:10/).waitFor();
    await nack.getByText("errorfile 503 /nonexistent/ha-master-e2e/503.http").waitFor();
    await screenshot(page, "deployment-failed");
    expect(await (await fetch(`http://127.0.0.1:${agent.port}/`)).text()).toBe("app\n");

    // Someone edits the running config on the node by hand: the node is drifting.
    appendFileSync(join(agent.stateDir, "current", "haproxy.cfg"), "# edited by hand\n");
    await page.goto(`${master.url}/nodes`);
    await page.getByTestId("node-row").getByText("drift", { exact: true }).waitFor({ timeout: 20_000 });
    await nav("Dashboard").click();
    await page.getByRole("region", { name: "Nodes needing attention" }).getByText("drift", { exact: true }).waitFor();

    // The agent goes away: after three missed heartbeats the node is offline everywhere.
    await agent.stop();
    agent = undefined;
    await page.getByTestId("dashboard-ready").getByText("1 offline").waitFor({ timeout: 20_000 });
    await page.getByRole("region", { name: "Nodes needing attention" }).getByTestId("node-row").filter({ hasText: "offline" }).waitFor();
    await screenshot(page, "dashboard-offline");
    await nav("Nodes").click();
    await page.getByTestId("node-row").filter({ hasText: "offline" }).waitFor();
    await screenshot(page, "nodes-offline");

    // Revoked: the node can never connect again; the list says so.
    await page.getByTestId("node-row").getByRole("link", { name: "edge-1" }).click();
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke node" }).click();
    await page.getByText("revoked", { exact: true }).first().waitFor();
  });

  it("follows the system's dark mode", async () => {
    const dark = await newConsoleContext(browser, "dark");
    const dp = await dark.newPage();
    await dp.goto(`${master.url}/clusters/edge/configs`);
    await logIn(dp, "admin", ADMIN_PASSWORD);
    await dp.getByText("Editing on top of version 6").waitFor();
    await screenshot(dp, "config-editor-dark");
    await dp.goto(`${master.url}/`);
    await dp.getByTestId("dashboard-ready").waitFor();
    await screenshot(dp, "dashboard-dark");
    await dark.close();
  });

  it("fits a laptop screen and a narrower window", async () => {
    const laptop = await newConsoleContext(browser, "light", LAPTOP);
    const lp = await laptop.newPage();
    await lp.goto(`${master.url}/clusters/edge/configs`);
    await logIn(lp, "admin", ADMIN_PASSWORD);
    await lp.getByText("Editing on top of version 6").waitFor();
    // Validate: the verdict is on screen without scrolling by hand.
    await lp.getByRole("button", { name: "Validate" }).click();
    const verdict = lp.getByTestId("problems-panel").getByRole("heading", { name: /^Valid/ });
    await verdict.waitFor();
    const box = (await verdict.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(LAPTOP.height);
    await screenshot(lp, "config-editor-laptop");
    await lp.goto(`${master.url}/`);
    await lp.getByTestId("dashboard-ready").waitFor();
    await screenshot(lp, "dashboard-laptop");

    // A 1024 px window: every page still fits its width (wide tables scroll inside their card).
    await lp.setViewportSize({ width: 1024, height: 640 });
    for (const [path, ready] of [
      ["/", "Dashboard"], ["/clusters", "Clusters"], ["/clusters/edge/configs/history", "History"], ["/clusters/edge/configs/diff", "Side by side"],
      ["/nodes", "Nodes"], ["/deployments", "Deployments"], ["/certificates", "Certificates"], ["/enrollment", "Enrolment"],
      ["/audit", "Audit log"], ["/users", "Users"],
    ] as const) {
      await lp.goto(master.url + path);
      await lp.getByText(ready, { exact: true }).first().waitFor();
      await lp.waitForLoadState("networkidle");
      await expectSoundPage(lp);
    }
    await laptop.close();
  });

  it("logs out: the session ends and a reload does not bring it back", async () => {
    await page.getByRole("button", { name: /^Account: admin/ }).click();
    await page.getByRole("menuitem", { name: "Log out" }).click();
    await page.getByText("You have logged out.").waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Log in to HA-Master" }).waitFor();
    expect((await context.cookies()).find((c) => c.name === "ham_refresh")).toBeUndefined();
  });

  it("no page threw an uncaught error or broke the content security policy", () => {
    expect(pageProblems).toEqual([]);
  });

  it("says so when the master cannot be reached", async () => {
    await master.stop();
    await logIn(page, "admin", ADMIN_PASSWORD);
    await page.getByTestId("login-error").getByText(/Cannot reach the master/).waitFor();
  });
});
