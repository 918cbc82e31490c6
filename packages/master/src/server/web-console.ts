import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

const BUILT_CONSOLE = fileURLToPath(new URL("../../../web/dist", import.meta.url));

/** The directory of the built web console, or undefined when it has not been built. */
export function webConsoleDir(configured: string | undefined): string | undefined {
  const root = configured ?? BUILT_CONSOLE;
  return existsSync(`${root}/index.html`) ? root : undefined;
}

/**
 * What the console's pages may load: only their own files and the master's API. No inline or
 * foreign script can run, which keeps an injected script from running at all (the refresh token
 * is an HttpOnly cookie either way). Inline styles stay allowed: Radix positions popovers with
 * them and CodeMirror writes its theme into a style sheet.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Serves the console's static files at / (client routes fall back to index.html, see errors.ts).
 * The build writes .br and .gz beside each file; they are sent to browsers that accept them.
 * Files under assets/ carry a content hash in their name and are cached for good; everything else
 * (index.html above all) is revalidated, so a new release is picked up at the next load.
 */
export async function registerWebConsole(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ["index.html"],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header("cache-control", /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache");
      reply.header("content-security-policy", CONSOLE_CSP);
      reply.header("x-content-type-options", "nosniff");
    },
  });
}
