import type { ApiClient } from "@ha-master/api-client";
import { Option, type Command } from "commander";
import { SessionError } from "./errors.js";
import { colours, wantsColour, type Colours } from "./format/colour.js";
import type { Io } from "./io/terminal.js";
import type { ConfigStore } from "./session/config-store.js";
import { chooseServer, Session } from "./session/session.js";

/** What every command gets: the process's streams, the config store, and (in tests) a fetch and a clock. */
export interface CliContext {
  io: Io;
  store: ConfigStore;
  fetch?: typeof fetch;
  now: () => number;
}

/** The options every command accepts (declared on the program). */
export interface GlobalOptions {
  server?: string;
  output: "text" | "json";
}

/** Adds the global options to the program. */
export function addGlobalOptions(program: Command): void {
  program
    .addOption(new Option("--server <url>", "the ha-master URL (default: the server logged in to last)").env("HACTL_SERVER"))
    .addOption(new Option("--output <format>", "text for people, json for scripts").choices(["text", "json"]).default("text"));
}

export function globalOptions(cmd: Command): GlobalOptions {
  const all = cmd.optsWithGlobals<{ server?: string; output?: "text" | "json" }>();
  return { server: all.server, output: all.output ?? "text" };
}

/** The `-c, --cluster` option most commands take (HACTL_CLUSTER works too). */
export function clusterOption(): Option {
  return new Option("-c, --cluster <name>", "the cluster (name or id)").env("HACTL_CLUSTER").makeOptionMandatory();
}

/** The logged-in session with the chosen server, and a typed client over it. */
export async function connect(ctx: CliContext, cmd: Command): Promise<{ session: Session; api: ApiClient }> {
  const config = await ctx.store.load();
  const server = chooseServer(globalOptions(cmd).server, undefined, config);
  if (!server) throw new SessionError("not logged in; run hactl login --server URL");
  const session = new Session({ store: ctx.store, server, fetch: ctx.fetch, now: ctx.now });
  await session.requireLogin();
  return { session, api: session.client() };
}

/** Colours for stdout (on a terminal, unless NO_COLOR). */
export function stdoutColours(ctx: CliContext): Colours {
  return colours(wantsColour(ctx.io.stdout, ctx.io.env));
}

/** Colours for stderr (on a terminal, unless NO_COLOR). */
export function stderrColours(ctx: CliContext): Colours {
  return colours(wantsColour(ctx.io.stderr, ctx.io.env));
}

/** Writes text to stdout, adding the final newline if missing. */
export function print(ctx: CliContext, text: string): void {
  ctx.io.stdout.write(text.endsWith("\n") || text === "" ? text : `${text}\n`);
}

/** Writes a note for the operator to stderr (never mixed into what scripts parse). */
export function note(ctx: CliContext, text: string): void {
  ctx.io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Writes a value as indented JSON on stdout. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
