import { AppError, notFound } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import { hashPassword, isAcceptablePassword, PASSWORD_RULE, verifyPassword } from "../auth/password.js";
import type { RequestContext, Role } from "../lib/context.js";
import { iso } from "../lib/time.js";
import * as dal from "./users-dal.js";
import type { UserRow, UserView } from "./users-types.js";

/** The API view of a user row. */
export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled,
    createdAt: iso(row.createdAt)!,
    lastLoginAt: iso(row.lastLoginAt),
  };
}

export interface UserPatch {
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/** Users: created and changed by admins, every change audited in its own transaction. */
export function usersServiceFactory({ store }: { store: { readonly db: Db } }) {
  return {
    async list(): Promise<UserView[]> {
      return (await dal.listUsers(store.db)).map(toUserView);
    },

    async get(id: string): Promise<UserView> {
      const row = await dal.findUserById(store.db, id);
      if (!row) throw notFound("user", id);
      return toUserView(row);
    },

    async create(ctx: RequestContext, input: { username: string; password: string; role: Role }): Promise<UserView> {
      if (!isAcceptablePassword(input.password)) throw new AppError("bad_request", PASSWORD_RULE);
      const passwordHash = await hashPassword(input.password);
      return store.db.transaction(async (tx) => {
        const row = await dal.insertUser(tx, { username: input.username, passwordHash, role: input.role });
        if (!row) throw new AppError("conflict", `a user named ${JSON.stringify(input.username)} already exists`);
        const view = toUserView(row);
        await insertAudit(tx, ctx, {
          action: "user.create",
          targetType: "user",
          targetId: row.id,
          targetName: row.username,
          after: { role: view.role },
        });
        return view;
      });
    },

    /**
     * A user changes their own password: the current one proves it is them (a session left open
     * on a shared screen is not enough). Every session of the user ends, this one's refresh
     * token included; the access token in hand lasts its few minutes.
     */
    async changeOwnPassword(ctx: RequestContext, input: { currentPassword: string; newPassword: string }): Promise<void> {
      const id = ctx.actor.id;
      if (!id) throw new AppError("forbidden", "only a user can change their password");
      if (!isAcceptablePassword(input.newPassword)) throw new AppError("bad_request", `newPassword: ${PASSWORD_RULE}`, { field: "newPassword" });
      if (input.newPassword === input.currentPassword) {
        throw new AppError("bad_request", "newPassword: the new password must differ from the current one", { field: "newPassword" });
      }
      const row = await dal.findUserById(store.db, id);
      if (!row || row.disabled) throw new AppError("unauthenticated", "the user no longer exists or is disabled; log in again");
      if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
        await insertAudit(store.db, ctx, { action: "user.password_change_failed", targetType: "user", targetId: id, targetName: row.username });
        throw new AppError("forbidden", "currentPassword: the current password is wrong; nothing was changed", { field: "currentPassword" });
      }
      const passwordHash = await hashPassword(input.newPassword);
      await store.db.transaction(async (tx) => {
        await dal.updateUser(tx, id, { passwordHash });
        await dal.revokeUserRefreshTokens(tx, id);
        await insertAudit(tx, ctx, {
          action: "user.password_change",
          targetType: "user",
          targetId: id,
          targetName: row.username,
          after: { passwordChanged: true, sessionsEnded: true },
        });
      });
    },

    async update(ctx: RequestContext, id: string, patch: UserPatch): Promise<UserView> {
      if (patch.password !== undefined && !isAcceptablePassword(patch.password)) {
        throw new AppError("bad_request", PASSWORD_RULE);
      }
      const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
      return store.db.transaction(async (tx) => {
        const before = await dal.findUserById(tx, id);
        if (!before) throw notFound("user", id);
        const losesAdmin =
          (patch.role !== undefined && patch.role !== "admin") || patch.disabled === true;
        if (before.role === "admin" && !before.disabled && losesAdmin && (await dal.countOtherActiveAdmins(tx, id)) === 0) {
          throw new AppError("conflict", "this is the last enabled admin; make another user admin first");
        }
        const row = await dal.updateUser(tx, id, {
          ...(patch.role === undefined ? {} : { role: patch.role }),
          ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
          ...(passwordHash === undefined ? {} : { passwordHash }),
        });
        if (patch.disabled === true || passwordHash !== undefined) await dal.revokeUserRefreshTokens(tx, id);
        await insertAudit(tx, ctx, {
          action: "user.update",
          targetType: "user",
          targetId: id,
          targetName: before.username,
          before: { role: before.role, disabled: before.disabled },
          after: { role: row!.role, disabled: row!.disabled, passwordChanged: passwordHash !== undefined },
        });
        return toUserView(row!);
      });
    },
  };
}

export type UsersService = ReturnType<typeof usersServiceFactory>;
