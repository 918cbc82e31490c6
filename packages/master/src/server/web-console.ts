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

/** Serves the console's static files at / (client routes fall back to index.html, see errors.ts). */
export async function registerWebConsole(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, wildcard: false, index: ["index.html"], maxAge: "1h" });
}
