import { unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import { Argument, type Command } from "commander";
import { connect, globalOptions, print, printJson, stdoutColours, type CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import type { Colours } from "../format/colour.js";
import { renderTable, type Column } from "../format/table.js";
import { formatAge } from "../format/time.js";
import { canPrompt, readAllStdin, readSecret, type Io } from "../io/terminal.js";
import { pickByRef } from "./args.js";

type User = Schemas["User"];
type Role = User["role"];

const ROLES: readonly Role[] = ["viewer", "operator", "admin"];
// The server's rule for passwords, checked here first so the operator is not asked twice for nothing.
const MIN_PASSWORD = 12;

/** The columns of `hactl users list`. */
export function userColumns(now: number, c: Colours): Column<User>[] {
  return [
    { header: "username", cell: (u) => u.username },
    { header: "role", cell: (u) => u.role },
    { header: "status", cell: (u) => (u.disabled ? c.dim("disabled") : c.green("active")) },
    { header: "last login", cell: (u) => (u.lastLoginAt ? formatAge(u.lastLoginAt, now) : "never") },
    { header: "created", cell: (u) => formatAge(u.createdAt, now) },
  ];
}

/**
 * A new password: from stdin with `--password-stdin` (one trailing newline dropped), or typed
 * twice on the terminal without echo. Never from the command line, where `ps` and shell history see it.
 */
export async function readNewPassword(io: Io, fromStdin: boolean | undefined): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = (await readAllStdin(io)).toString("utf8").replace(/\r?\n$/, "");
  } else if (canPrompt(io)) {
    password = await readSecret(io, "New password: ");
    if ((await readSecret(io, "Again: ")) !== password) throw new UsageError("the two passwords differ; nothing was changed");
  } else {
    throw new UsageError("stdin is not a terminal: pass the password with --password-stdin");
  }
  if ([...password].length < MIN_PASSWORD) throw new UsageError(`the password must be at least ${MIN_PASSWORD} characters long`);
  return password;
}

/** `hactl users list|create|set-role|set-password|disable|enable` (admin). */
export function registerUserCommands(program: Command, ctx: CliContext): void {
  const users = program.command("users").alias("user").description("user accounts and their roles: viewer (read only), operator (configs, deployments), admin (everything)");

  users
    .command("list")
    .alias("ls")
    .description("every user with role, status and last login")
    .action(async (_opts: unknown, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const { items } = unwrap(await api.GET("/api/v1/users"));
      if (globalOptions(cmd).output === "json") return printJson(ctx, items);
      print(ctx, renderTable(userColumns(ctx.now(), stdoutColours(ctx)), items));
    });

  users
    .command("create")
    .description("create a user; the password is typed twice (or read from stdin with --password-stdin)")
    .argument("<username>", "letters, digits, . _ @ -")
    .addArgument(new Argument("<role>", "viewer, operator or admin").choices(ROLES))
    .option("--password-stdin", "read the password from stdin")
    .action(async (username: string, role: Role, opts: { passwordStdin?: boolean }, cmd: Command) => {
      const password = await readNewPassword(ctx.io, opts.passwordStdin);
      const { api } = await connect(ctx, cmd);
      const user = unwrap(await api.POST("/api/v1/users", { body: { username, password, role } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, user);
      print(ctx, `Created user ${user.username} (${user.role}). They log in with: hactl login --username ${user.username}`);
    });

  users
    .command("set-role")
    .description("change a user's role")
    .argument("<username>", "the user (name or id)")
    .addArgument(new Argument("<role>", "viewer, operator or admin").choices(ROLES))
    .action(async (ref: string, role: Role, _opts: unknown, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const user = await update(api, ref, { role });
      if (globalOptions(cmd).output === "json") return printJson(ctx, user);
      print(ctx, `${user.username} is now ${user.role}.`);
    });

  users
    .command("set-password")
    .description("set a new password for a user (typed twice, or read from stdin with --password-stdin)")
    .argument("<username>", "the user (name or id)")
    .option("--password-stdin", "read the password from stdin")
    .action(async (ref: string, opts: { passwordStdin?: boolean }, cmd: Command) => {
      const password = await readNewPassword(ctx.io, opts.passwordStdin);
      const { api } = await connect(ctx, cmd);
      const user = await update(api, ref, { password });
      if (globalOptions(cmd).output === "json") return printJson(ctx, user);
      print(ctx, `Set a new password for ${user.username}.`);
    });

  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    users
      .command(name)
      .description(disabled ? "disable a user: they can no longer log in, and their sessions end" : "let a disabled user log in again")
      .argument("<username>", "the user (name or id)")
      .action(async (ref: string, _opts: unknown, cmd: Command) => {
        const { api } = await connect(ctx, cmd);
        const user = await update(api, ref, { disabled });
        if (globalOptions(cmd).output === "json") return printJson(ctx, user);
        print(ctx, `${user.username} is ${user.disabled ? "disabled" : "enabled"}.`);
      });
  }
}

async function update(api: ApiClient, ref: string, body: { role?: Role; disabled?: boolean; password?: string }): Promise<User> {
  const { items } = unwrap(await api.GET("/api/v1/users"));
  const user = pickByRef(items, ref, (u) => u.username, "user");
  return unwrap(await api.PATCH("/api/v1/users/{id}", { params: { path: { id: user.id } }, body }));
}
