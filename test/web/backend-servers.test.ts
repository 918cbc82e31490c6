import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { fetchThrough } from "../support/agent-process.js";
import { startMaster, type MasterProcess } from "../support/master-process.js";
import { waitFor } from "../support/processes.js";
import { joinAndRun, startBackend, type ConsoleAgent } from "./agent.js";
import { expectSoundPage, launchChromium, logIn, newConsoleContext, pageProblems, screenshot } from "./browser.js";
import { twoServerConfig } from "./fixtures.js";

/**
 * The backend servers of a cluster in a real browser: two real agents, each running HAProxy with
 * a backend of two servers (small HTTP servers on 127.0.0.1), report them; an operator drains one
 * on every node from the console and sees each node's answer, then the new status.
 */
describe("backend servers in the web console", () => {
  let master: MasterProcess;
  let browser: Browser;
  let page: Page;
  const backends: { port: number; close(): Promise<void> }[] = [];
  const agents: ConsoleAgent[] = [];

  beforeAll(async () => {
    master = await startMaster({ HEARTBEAT_INTERVAL_SECONDS: "2", DEPLOY_ACK_TIMEOUT_SECONDS: "20" });
    const [app1, app2] = [await startBackend("app1"), await startBackend("app2")];
    backends.push(app1, app2);
    const admin = await master.login();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await master.api(admin, method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    await call("POST", "/api/v1/clusters", { name: "edge", description: "Edge layer" });
    await call("POST", "/api/v1/clusters/edge/configs", { content: twoServerConfig({ app1: app1.port, app2: app2.port }), message: "app1 and app2", baseVersion: 0 });
    await call("POST", "/api/v1/users", { username: "olivia", password: "olivia password 123", role: "operator" });
    await call("POST", "/api/v1/users", { username: "vera", password: "vera password 123", role: "viewer" });
    const { joinCommand } = await call("POST", "/api/v1/enrollment-tokens", { clusterId: "edge", uses: 2 });
    for (const name of ["edge-1", "edge-2"]) agents.push(await joinAndRun(joinCommand, name));
    const until = (what: string, check: () => Promise<boolean>, ms: number) => waitFor(what, async () => ((await check()) ? true : undefined), ms);
    await until("both nodes online", async () => (await call("GET", "/api/v1/nodes")).items.filter((n: { online: boolean }) => n.online).length === 2, 30_000);
    const { id } = await call("POST", "/api/v1/clusters/edge/deployments", { version: 1 });
    await until("the deployment to succeed", async () => (await call("GET", `/api/v1/clusters/edge/deployments/${id}`)).status === "succeeded", 60_000);
    browser = await launchChromium();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail" && page && !page.isClosed()) console.error(`backend servers: failed on ${page.url()}`);
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await browser?.close();
    for (const backend of backends) await backend.close();
    await master?.stop();
  });

  /** What each node's HAProxy answers to six requests in a row. */
  const served = async (agent: ConsoleAgent) => new Set(await Promise.all([1, 2, 3, 4, 5, 6].map(() => fetchThrough(agent.port))));

  it("drains a server on every node, shows each node's answer, then DRAIN on the nodes", async () => {
    const context = await newConsoleContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${master.url}/clusters/edge`);
    await logIn(page, "olivia", "olivia password 123");
    const servers = page.getByRole("region", { name: "Backend servers" });
    const row = (server: string) => servers.getByTestId("server-row").filter({ hasText: server });
    await row("app1").getByText("UP on 2 of 2").waitFor({ timeout: 30_000 });
    await row("app2").getByText("UP on 2 of 2").waitFor({ timeout: 30_000 });
    expect(await served(agents[0]!)).toEqual(new Set(["app1", "app2"]));

    await row("app2").getByRole("button", { name: "Drain app/app2" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Drain app/app2 on every node?" });
    await dialog.getByText(/On every node of edge, app\/app2 gets no new traffic .* It lasts until the next deployment/).waitFor();
    await dialog.getByRole("button", { name: "Drain on every node" }).click();
    const answered = page.getByRole("alertdialog", { name: "Drain app/app2: each node's answer" });
    const results = answered.getByTestId("server-state-results");
    await results.getByText("app/app2 is draining on all 2 nodes.").waitFor();
    for (const node of ["edge-1", "edge-2"]) await results.getByRole("row", { name: new RegExp(`^${node} ok HAProxy took it\\.$`) }).waitFor();
    await screenshot(page, "server-state");

    // HAProxy on both nodes sends new requests to app1 only.
    for (const agent of agents) expect(await served(agent)).toEqual(new Set(["app1"]));
    await answered.getByRole("button", { name: "Done" }).click();
    await row("app2").getByText("DRAIN on 2 of 2").waitFor({ timeout: 10_000 });
    await row("app1").getByText("UP on 2 of 2").waitFor();
    await page.mouse.move(0, 0); // no row highlighted under the pointer
    await screenshot(page, "backend-servers");
    // A 1024 px window: the table scrolls inside its card, never the page.
    await page.setViewportSize({ width: 1024, height: 640 });
    await expectSoundPage(page);
    await context.close();
  });

  it("shows a viewer the servers without the actions, in dark mode too", async () => {
    const dark = await newConsoleContext(browser, "dark");
    page = await dark.newPage();
    await page.goto(`${master.url}/clusters/edge`);
    await logIn(page, "vera", "vera password 123");
    const servers = page.getByRole("region", { name: "Backend servers" });
    await servers.getByTestId("server-row").filter({ hasText: "app2" }).getByText("DRAIN on 2 of 2").waitFor();
    await servers.getByText("needs the operator role").waitFor();
    expect(await servers.getByRole("button").count()).toBe(0);
    await screenshot(page, "backend-servers-dark");
    await dark.close();
  });

  it("from the keyboard, says which node was offline and shows that the nodes now differ", async () => {
    await agents[1]!.stop();
    const context = await newConsoleContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${master.url}/clusters/edge`);
    await logIn(page, "olivia", "olivia password 123");
    await page.getByTestId("node-row").filter({ hasText: "edge-2" }).getByText("offline").waitFor({ timeout: 20_000 });

    const servers = page.getByRole("region", { name: "Backend servers" });
    const app2 = servers.getByTestId("server-row").filter({ hasText: "app2" });
    const ready = app2.getByRole("button", { name: "Ready app/app2" });
    await ready.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("alertdialog", { name: "Ready app/app2 on every node?" });
    await dialog.waitFor();
    // The question starts on Cancel; Tab reaches the action.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Ready on every node");
    await page.keyboard.press("Enter");
    const results = page.getByRole("alertdialog").getByTestId("server-state-results");
    await results.getByText("app/app2 is ready on 1 of 2 nodes; see what the others answered.").waitFor();
    await results.getByRole("row", { name: /^edge-1 ok/ }).waitFor();
    await results.getByRole("row", { name: /^edge-2 offline the node is offline/ }).waitFor();
    expect(await served(agents[0]!)).toEqual(new Set(["app1", "app2"]));

    // Done has the focus; closing gives it back to the button that opened the dialog.
    await page.keyboard.press("Enter");
    await page.getByRole("alertdialog").waitFor({ state: "detached" });
    await expect.poll(() => ready.evaluate((el) => el === document.activeElement)).toBe(true);
    // edge-2's last report still says DRAIN: the row shows both, and that they differ.
    await app2.getByText("UP on 1 of 2").waitFor({ timeout: 10_000 });
    expect(await app2.getByText("DRAIN on 1 of 2, offline").getAttribute("title")).toBe("edge-2 (offline)");
    await app2.getByText("differs between nodes").waitFor();
    await screenshot(page, "backend-servers-differ");
    await context.close();
  });

  it("no page threw an uncaught error or broke the content security policy", () => {
    expect(pageProblems).toEqual([]);
  });
});
