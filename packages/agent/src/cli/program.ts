import { Command, Option } from "commander";
import { AGENT_VERSION } from "../version.js";
import { joinCommand } from "./join-command.js";
import { runCommand } from "./run-command.js";
import { statusCommand } from "./status-command.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Builds the `ha-agent` command line. */
export function buildProgram(): Command {
  const program = new Command("ha-agent")
    .description("HA-Master agent: enrols this node, holds one mTLS stream to the master, applies HAProxy bundles")
    .version(AGENT_VERSION, "-V, --version")
    .showHelpAfterError();

  program
    .command("join")
    .description("enrol this node with a one-time token; the key is generated here and never leaves the host")
    .requiredOption("--master <host:port>", "the master's gRPC address")
    .option("--token <token>", "one-time enrolment token (or set HA_AGENT_TOKEN)")
    .requiredOption("--ca-hash <sha256:hex>", "pin of the master's CA, from the join command")
    .option("--state-dir <dir>", "state directory (default /var/lib/ha-agent)")
    .option("--name <name>", "name the node is shown under (default: host name)")
    .option("--force", "replace an existing enrolment")
    .option("--haproxy-bin <path>", "HAProxy binary, to report its version (default /usr/sbin/haproxy)")
    .option("--log-level <level>", "log level (default warn)")
    .action(joinCommand);

  program
    .command("run")
    .description("run the agent: stream to the master, apply bundles, supervise or reload HAProxy")
    .option("--state-dir <dir>", "state directory (default /var/lib/ha-agent)")
    .addOption(new Option("--mode <mode>", "supervised: the agent runs HAProxy; external: a service manager does").choices(["supervised", "external"]))
    .option("--config <file>", "JSON config file; flags override its keys")
    .option("--haproxy-bin <path>", "HAProxy binary (default /usr/sbin/haproxy)")
    .option("--reload-command <cmd>", "external mode: command that reloads HAProxy, run with /bin/sh -c")
    .option("--runtime-socket <path>", "external mode: HAProxy stats socket for server states and reload checks")
    .option("--keep-releases <n>", "releases kept on disk (default 5)")
    .option("--haproxy-env <NAME=VALUE>", "environment for HAProxy and haproxy -c (repeatable)", collect)
    .option("--reload-timeout-ms <ms>", "how long a reload may take (default 15000)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (default info)")
    .action(runCommand);

  program
    .command("status")
    .description("show node id, master, applied hash, current release and whether HAProxy runs")
    .option("--state-dir <dir>", "state directory (default /var/lib/ha-agent)")
    .option("--config <file>", "config file (for the state dir and external mode's runtime socket)")
    .option("--json", "print JSON")
    .action(statusCommand);

  program
    .command("version")
    .description("print the agent's version")
    .action(() => void process.stdout.write(`ha-agent ${AGENT_VERSION}\n`));

  return program;
}

/**
 * Runs the CLI. Any error reaches the operator as one line on stderr with exit code 1; the
 * stack goes nowhere unless HA_AGENT_DEBUG is set.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`ha-agent: ${message.split("\n")[0]}\n`);
    if (process.env["HA_AGENT_DEBUG"]) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    process.exitCode = 1;
  }
}
