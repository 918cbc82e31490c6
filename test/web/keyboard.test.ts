import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { ADMIN_PASSWORD, startMaster, type MasterProcess } from "../support/master-process.js";
import { freePort } from "../support/processes.js";
import { launchChromium, newConsoleContext, pageProblems, screenshot } from "./browser.js";
import { edgeConfig } from "./fixtures.js";

/** The console with the keyboard alone, in Debian's Chromium against a real ha-master. */
describe("the web console from the keyboard", () => {
  let master: MasterProcess;
  let browser: Browser;

  beforeAll(async () => {
    master = await startMaster();
    const token = await master.login();
    expect((await master.api(token, "POST", "/api/v1/clusters", { name: "edge", description: "Edge layer" })).status).toBe(201);
    const content = edgeConfig({ backendPort: await freePort(), deadPort: await freePort() });
    expect((await master.api(token, "POST", "/api/v1/clusters/edge/configs", { content, message: "First", baseVersion: 0 })).status).toBe(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await master?.stop();
  });

  it("works from the keyboard alone", async () => {
    const kb = await newConsoleContext(browser);
    const kp = await kb.newPage();
    const focused = () => kp.evaluate(() => ({ text: document.activeElement?.textContent?.trim() ?? "", tag: document.activeElement?.tagName ?? "", label: document.activeElement?.getAttribute("aria-label") ?? "" }));
    /** Presses Tab until the focused element's text or aria-label is `text` (at most `max` times). */
    const tabTo = async (text: string, max = 30) => {
      for (let i = 0; i < max; i++) {
        await kp.keyboard.press("Tab");
        const now = await focused();
        if (now.text === text || now.label === text) return;
      }
      throw new Error(`Tab never reached "${text}"; focus is on ${JSON.stringify(await focused())}`);
    };

    await kp.goto(master.url);
    await kp.getByLabel("Username").waitFor();
    expect(await kp.evaluate(() => document.activeElement?.getAttribute("autocomplete"))).toBe("username");
    await kp.keyboard.type("admin");
    await kp.keyboard.press("Tab");
    await kp.keyboard.type(ADMIN_PASSWORD);
    await kp.keyboard.press("Enter");
    await kp.getByTestId("dashboard-ready").waitFor();

    // The first Tab offers to skip the navigation.
    await kp.keyboard.press("Tab");
    expect((await focused()).text).toBe("Skip to content");
    await tabTo("Clusters");
    await screenshot(kp, "keyboard-focus");
    await kp.keyboard.press("Enter");
    await kp.getByRole("heading", { level: 1, name: "Clusters" }).waitFor();

    // A dialog takes the focus, Escape closes it and gives the focus back.
    await tabTo("New cluster");
    await kp.keyboard.press("Enter");
    await kp.getByRole("dialog", { name: "New cluster" }).waitFor();
    expect(await kp.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('[role="dialog"]') !== null)).toBe(true);
    await kp.keyboard.press("Escape");
    await kp.getByRole("dialog").waitFor({ state: "detached" });
    await expect.poll(async () => (await focused()).text).toBe("New cluster");

    // In the editor, Ctrl+Enter validates.
    await tabTo("edge");
    await kp.keyboard.press("Enter");
    await kp.getByRole("heading", { level: 1, name: "edge" }).waitFor();
    await tabTo("Config");
    await kp.keyboard.press("Enter");
    await kp.getByText("Editing on top of version 1").waitFor();
    await tabTo("haproxy.cfg of edge");
    await kp.keyboard.press("Control+Enter");
    await kp.getByTestId("problems-panel").getByRole("heading", { name: /^Valid/ }).waitFor();
    await kb.close();
  });

  it("no page threw an uncaught error or broke the content security policy", () => {
    expect(pageProblems).toEqual([]);
  });
});
