import { Command, CommanderError } from "commander";
import { addGlobalOptions, type CliContext } from "./context.js";
import { describeError, EXIT } from "./errors.js";
import { registerAuditCommands } from "./commands/audit.js";
import { registerCertCommands } from "./commands/certs.js";
import { registerClusterCommands } from "./commands/cluster.js";
import { registerConfigCommands } from "./commands/config.js";
import { registerDeployCommands } from "./commands/deploy.js";
import { registerLoginCommands } from "./commands/login.js";
import { registerNodeCommands } from "./commands/nodes.js";
import { registerServerCommands } from "./commands/server.js";
import { registerTokenCommands } from "./commands/token.js";
import { registerUserCommands } from "./commands/users.js";
import { CLI_VERSION } from "./version.js";

/** Builds the `hactl` command line over a context (the real process, or a test's). */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("hactl")
    .description("HA-Master operator CLI: clusters, config versions, deployments, nodes, audit")
    .version(CLI_VERSION, "-V, --version")
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      // Usage errors are printed by runCli, as one line like every other error.
      outputError: () => undefined,
    })
    .exitOverride();
  addGlobalOptions(program);
  registerLoginCommands(program, ctx);
  registerClusterCommands(program, ctx);
  registerConfigCommands(program, ctx);
  registerNodeCommands(program, ctx);
  registerTokenCommands(program, ctx);
  registerDeployCommands(program, ctx);
  registerServerCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerCertCommands(program, ctx);
  return program;
}

/**
 * Runs hactl and returns its exit code. Every error reaches the operator as one line on stderr,
 * `hactl: <message> (request id …)`, with the exit codes of EXIT; the stack only with HACTL_DEBUG=1.
 */
export async function runCli(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      if (err.exitCode === 0) return EXIT.ok;
      const message = err.message.replace(/^error: /, "").split("\n")[0];
      ctx.io.stderr.write(`hactl: ${message} (see hactl --help)\n`);
      return EXIT.usage;
    }
    const { line, exitCode } = describeError(err);
    ctx.io.stderr.write(`hactl: ${line}\n`);
    if (ctx.io.env["HACTL_DEBUG"] === "1" && err instanceof Error) ctx.io.stderr.write(`${err.stack ?? ""}\n`);
    return exitCode;
  }
}
