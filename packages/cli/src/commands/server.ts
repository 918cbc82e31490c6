import { unwrap, type Schemas } from "@ha-master/api-client";
import { HAPROXY_NAME, SERVER_STATES } from "@ha-master/shared";
import type { Command } from "commander";
import { clusterOption, connect, globalOptions, print, printJson, stdoutColours, type CliContext } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import type { Colours } from "../format/colour.js";
import { renderTable } from "../format/table.js";

type Result = Schemas["ServerStateResult"];

const WHAT: Record<(typeof SERVER_STATES)[number], string> = {
  ready: "take traffic again",
  drain: "finish the sessions it has and take no new ones",
  maint: "take no traffic at all (health checks stop)",
};

/** `BACKEND/SERVER`, checked as HAProxy names before anything is sent. */
export function parseServerRef(ref: string): { backend: string; server: string } {
  const [backend, server, ...rest] = ref.split("/");
  if (!backend || !server || rest.length > 0 || !HAPROXY_NAME.test(backend) || !HAPROXY_NAME.test(server)) {
    throw new UsageError(`${JSON.stringify(ref)}: expected BACKEND/SERVER, names of letters, digits and - _ . :`);
  }
  return { backend, server };
}

/** One line per node, then what it means; the caller decides the exit code. */
export function formatServerStateResult(r: Result, c: Colours): string {
  const status = (s: Result["nodes"][number]["status"]) => (s === "ok" ? c.green(s) : s === "offline" || s === "timeout" ? c.yellow(s) : c.red(s));
  const table = renderTable(
    [
      { header: "node", cell: (n: Result["nodes"][number]) => n.nodeName },
      { header: "result", cell: (n) => status(n.status) },
      { header: "detail", cell: (n) => (n.error || n.output).trim().split("\n")[0] ?? "" },
    ],
    r.nodes,
  );
  const took = r.nodes.filter((n) => n.status === "ok").length;
  const summary = r.ok
    ? `${r.backend}/${r.server} is ${r.state} on all ${took} node(s). It stays so until HAProxy next reloads (a deployment).`
    : `${r.backend}/${r.server} is ${r.state} on ${took} of ${r.nodes.length} node(s); the others did not change or did not say.`;
  return `${table}\n${summary}`;
}

/** `hactl server ready|drain|maint BACKEND/SERVER -c CLUSTER`. */
export function registerServerCommands(program: Command, ctx: CliContext): void {
  const server = program
    .command("server")
    .description("set a backend server's state on every node of a cluster at run time (no reload, no new config version)");
  for (const state of SERVER_STATES) {
    server
      .command(state)
      .description(`on every node of the cluster, the server should ${WHAT[state]}`)
      .argument("<backend/server>", "the backend and the server, as the config names them")
      .addOption(clusterOption())
      .action(async (ref: string, opts: { cluster: string }, cmd: Command) => {
        const target = parseServerRef(ref);
        const { api } = await connect(ctx, cmd);
        const result = unwrap(
          await api.POST("/api/v1/clusters/{cluster}/server-state", { params: { path: { cluster: opts.cluster } }, body: { ...target, state } }),
        );
        if (globalOptions(cmd).output === "json") printJson(ctx, result);
        else print(ctx, formatServerStateResult(result, stdoutColours(ctx)));
        if (!result.ok) throw new CliError(`not every node of ${opts.cluster} took ${state} for ${ref}`);
      });
  }
}
