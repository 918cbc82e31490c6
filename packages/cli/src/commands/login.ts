import { ApiError, unwrap } from "@ha-master/api-client";
import type { Command } from "commander";
import { connect, globalOptions, note, print, printJson, type CliContext } from "../context.js";
import { CliError, describeError, EXIT, UsageError } from "../errors.js";
import { formatTimestamp } from "../format/time.js";
import { renderFields } from "../format/table.js";
import { ask, canPrompt, readAllStdin, readSecret } from "../io/terminal.js";
import { chooseServer, login, logout } from "../session/session.js";

/** `hactl login`, `hactl logout`, `hactl passwd`, `hactl whoami`. */
export function registerLoginCommands(program: Command, ctx: CliContext): void {
  program
    .command("login")
    .description("log in; keeps the server URL and a refresh token (never the password) in the config file")
    .option("--username <name>", "the user to log in as (asked for on a terminal)")
    .option("--password-stdin", "read the password from stdin (for scripts; it never goes on the command line)")
    .action(async (opts: { username?: string; passwordStdin?: boolean }, cmd: Command) => {
      const config = await ctx.store.load();
      const server = chooseServer(globalOptions(cmd).server, undefined, config);
      if (!server) throw new UsageError("which server? pass --server URL (or set HACTL_SERVER)");
      let username = opts.username;
      if (!username) {
        if (opts.passwordStdin || !canPrompt(ctx.io)) throw new UsageError("pass --username when the password comes from stdin");
        const previous = config.logins[server]?.username;
        username = (await ask(ctx.io, previous ? `Username [${previous}]: ` : "Username: ")).trim() || previous;
        if (!username) throw new UsageError("a username is required");
      }
      let password: string;
      if (opts.passwordStdin) {
        // One trailing newline belongs to `echo` or the file, not to the password.
        password = (await readAllStdin(ctx.io)).toString("utf8").replace(/\r?\n$/, "");
      } else if (canPrompt(ctx.io)) {
        password = await readSecret(ctx.io, "Password: ");
      } else {
        throw new UsageError("stdin is not a terminal: pass the password with --password-stdin");
      }
      if (!password) throw new UsageError("the password is empty");
      let user;
      try {
        user = await login({ store: ctx.store, server, fetch: ctx.fetch, now: ctx.now }, username, password);
      } catch (err) {
        // Not "log in again": this was the login.
        if (err instanceof ApiError && err.status === 401) throw new CliError(`login failed: ${err.message}`, EXIT.auth, err.requestId);
        throw err;
      }
      if (globalOptions(cmd).output === "json") printJson(ctx, { server, user });
      else print(ctx, `Logged in to ${server} as ${user.username} (${user.role}). Credentials: ${ctx.store.location}`);
    });

  program
    .command("logout")
    .description("end the session on the server and forget it here")
    .action(async (_opts: unknown, cmd: Command) => {
      const config = await ctx.store.load();
      const server = chooseServer(globalOptions(cmd).server, undefined, config);
      if (!server) return print(ctx, "Not logged in.");
      const result = await logout({ store: ctx.store, server, fetch: ctx.fetch, now: ctx.now });
      if (!result.hadLogin) return print(ctx, `Not logged in to ${server}.`);
      if (!result.endedOnServer) note(ctx, `hactl: the server did not confirm the logout (${describeError(result.error).line}); the token was removed here anyway`);
      print(ctx, `Logged out of ${server}.`);
    });

  program
    .command("passwd")
    .description("change your own password; every session of yours ends, this one too (log in again)")
    .option("--password-stdin", "read the current password, then the new one, one per line from stdin (for scripts)")
    .action(async (opts: { passwordStdin?: boolean }, cmd: Command) => {
      let current: string;
      let next: string;
      if (opts.passwordStdin) {
        const [first = "", second = ""] = (await readAllStdin(ctx.io)).toString("utf8").split(/\r?\n/);
        [current, next] = [first, second];
      } else if (canPrompt(ctx.io)) {
        current = await readSecret(ctx.io, "Current password: ");
        next = await readSecret(ctx.io, "New password (12 characters or more): ");
        if ((await readSecret(ctx.io, "New password again: ")) !== next) throw new UsageError("the two new passwords differ; nothing was changed");
      } else {
        throw new UsageError("stdin is not a terminal: pass the current and the new password, one per line, with --password-stdin");
      }
      if (!current || !next) throw new UsageError("a password is empty; nothing was changed");
      const { session, api } = await connect(ctx, cmd);
      const me = unwrap(await api.GET("/api/v1/users/me"));
      unwrap(await api.POST("/api/v1/users/me/password", { body: { currentPassword: current, newPassword: next } }));
      // The server ended every session of this user, the stored one too: forget it here.
      await logout({ store: ctx.store, server: session.server, fetch: ctx.fetch, now: ctx.now });
      print(ctx, `Password changed for ${me.username}. Every session of ${me.username} has ended, this one too: log in again with hactl login.`);
    });

  program
    .command("whoami")
    .description("show the server and the user this session belongs to")
    .action(async (_opts: unknown, cmd: Command) => {
      const { session, api } = await connect(ctx, cmd);
      const me = unwrap(await api.GET("/api/v1/users/me"));
      if (globalOptions(cmd).output === "json") return printJson(ctx, { server: session.server, user: me });
      print(
        ctx,
        renderFields([
          ["server", session.server],
          ["user", me.username],
          ["role", me.role],
          ["last login", formatTimestamp(me.lastLoginAt)],
        ]),
      );
    });
}
