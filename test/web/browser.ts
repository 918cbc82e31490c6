import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { ROOT } from "../support/processes.js";

/** Debian's chromium package; the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const SCREENSHOTS = join(ROOT, "docs", "screenshots");

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (scripts/ensure-test-env.sh does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** A 1280 px wide desktop window, and a 13" laptop's 1366×768 screen less the browser's own bars. */
export const DESKTOP = { width: 1280, height: 800 };
export const LAPTOP = { width: 1366, height: 650 };

/** Uncaught errors of any console page and refusals of its content security policy, as they happen. */
export const pageProblems: string[] = [];

/** A fresh browser profile (1280×800 unless told), in the given colour scheme. */
export async function newConsoleContext(
  browser: Browser,
  colorScheme: "light" | "dark" = "light",
  viewport: { width: number; height: number } = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: "reduce" });
  context.on("weberror", (e) => void pageProblems.push(`${e.page()?.url()}: ${e.error().stack ?? e.error().message}`));
  context.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) pageProblems.push(`${m.page()?.url()}: ${m.text()}`);
  });
  return context;
}

/**
 * Checks the page's layout and labels, then saves docs/screenshots/<name>.png of the viewport.
 * Toasts left over from earlier steps are hidden unless `toasts` is set.
 */
export async function screenshot(page: Page, name: string, opts: { toasts?: boolean } = {}): Promise<void> {
  await expectSoundPage(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    caret: "hide",
    animations: "disabled",
    ...(opts.toasts ? {} : { style: "[data-sonner-toaster] { display: none !important; }" }),
  });
}

/**
 * What every page must get right, at whatever size the page has: nothing wider than the window
 * (no sideways scrolling of the page), tables that fit without scrolling from 1280 px up, and a
 * name for every form control (a label, aria-label or aria-labelledby). Throws naming the culprits.
 */
export async function expectSoundPage(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? ` class="${el.className.slice(0, 60)}"` : ""}>`;
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) found.push(`the page is ${doc.scrollWidth} px wide in a ${window.innerWidth} px window`);
    if (window.innerWidth >= 1280) {
      for (const table of document.querySelectorAll('[data-slot="table-container"]')) {
        if (table.scrollWidth > table.clientWidth + 1) found.push(`a table needs ${table.scrollWidth} px in ${table.clientWidth} px: ${table.textContent?.slice(0, 80)}`);
      }
    }
    const visible = (el: HTMLElement) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    for (const el of document.querySelectorAll<HTMLElement>('input:not([type="hidden"]), select, textarea, [contenteditable="true"], [role="combobox"]')) {
      if (!visible(el)) continue;
      const labelled =
        (el as HTMLInputElement).labels?.length ||
        el.getAttribute("aria-label")?.trim() ||
        (el.getAttribute("aria-labelledby") ?? "").split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim());
      if (!labelled) found.push(`unlabelled control ${describe(el)}`);
    }
    return found;
  });
  if (problems.length > 0) throw new Error(`${page.url()}:\n  ${problems.join("\n  ")}`);
}

/** Fills the login form and submits it. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Pastes text into the focused CodeMirror editor the way a clipboard paste does. */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  const content = page.locator(".cm-content").first();
  await content.click();
  await page.keyboard.press("Control+A");
  await content.evaluate((el, value) => {
    const data = new DataTransfer();
    data.setData("text/plain", value);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Drops files onto an element, as dragging them from the desktop does. */
export async function dropFiles(page: Page, selector: string, files: { name: string; text: string }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([f.text], f.name, { type: "application/x-pem-file" }));
    return data;
  }, files);
  await page.dispatchEvent(selector, "dragover", { dataTransfer: transfer });
  await page.dispatchEvent(selector, "drop", { dataTransfer: transfer });
}
