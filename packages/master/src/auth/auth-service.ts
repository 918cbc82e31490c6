import { randomUUID } from "node:crypto";
import { AppError } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { RequestContext } from "../lib/context.js";
import * as users from "../users/users-dal.js";
import { toUserView } from "../users/users-service.js";
import type { UserRow, UserView } from "../users/users-types.js";
import * as dal from "./auth-dal.js";
import { verifyNothing, verifyPassword } from "./password.js";
import { hashRefreshToken, newRefreshToken, type AccessTokenCodec } from "./tokens.js";

export interface Session {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: UserView;
}

const INVALID_LOGIN = "wrong user name or password";
const INVALID_REFRESH = "the refresh token is not valid; log in again";
const REUSED_REFRESH = "the refresh token was already used; the session has been ended, log in again";
const REVOKED_REFRESH = "the session was logged out or revoked; log in again";

/**
 * Logins and sessions. A session is a family of refresh tokens: each refresh spends one token and
 * issues the next; presenting a spent token means it was stolen or replayed, so the whole family
 * is revoked.
 */
export function authServiceFactory(deps: {
  store: { readonly db: Db };
  tokens: AccessTokenCodec;
  refreshTtlSeconds: number;
}) {
  const { store, tokens, refreshTtlSeconds } = deps;

  async function issue(db: Db, user: UserRow, familyId: string): Promise<Session> {
    const refresh = newRefreshToken();
    await dal.insertRefreshToken(db, {
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
    });
    return {
      accessToken: await tokens.sign({ userId: user.id, username: user.username, role: user.role }),
      tokenType: "Bearer",
      expiresIn: tokens.ttlSeconds,
      refreshToken: refresh.token,
      refreshExpiresIn: refreshTtlSeconds,
      user: toUserView(user),
    };
  }

  return {
    /** Throws `unauthenticated` with one message for every failure, so it reveals nothing. */
    async login(ctx: Omit<RequestContext, "actor">, username: string, password: string): Promise<Session> {
      const user = await users.findUserByName(store.db, username);
      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyNothing(password);
      if (!user || !ok || user.disabled) {
        await insertAudit(store.db, { ...ctx, actor: { id: user?.id ?? null, username, role: "viewer" } }, {
          action: "auth.login_failed",
          targetType: "user",
          targetId: user?.id ?? null,
          targetName: username,
          after: { reason: !user ? "unknown user" : !ok ? "wrong password" : "user disabled" },
        });
        throw new AppError("unauthenticated", INVALID_LOGIN);
      }
      return store.db.transaction(async (tx) => {
        await users.updateUser(tx, user.id, { lastLoginAt: new Date() });
        const session = await issue(tx, user, randomUUID());
        await insertAudit(tx, { ...ctx, actor: { id: user.id, username: user.username, role: user.role } }, {
          action: "auth.login",
          targetType: "user",
          targetId: user.id,
          targetName: user.username,
        });
        return session;
      });
    },

    async refresh(ctx: Omit<RequestContext, "actor">, refreshToken: string): Promise<Session> {
      const outcome = await store.db.transaction(async (tx) => {
        const row = await dal.lockRefreshToken(tx, hashRefreshToken(refreshToken));
        if (!row) return { ok: false, error: INVALID_REFRESH } as const;
        const user = await users.findUserById(tx, row.userId);
        if (!user) return { ok: false, error: INVALID_REFRESH } as const;
        const actor = { id: user.id, username: user.username, role: user.role };
        if (row.usedAt || row.revokedAt) {
          // A spent token came back: someone holds a copy. End the whole session everywhere.
          const revoked = await dal.revokeFamily(tx, row.familyId);
          if (row.usedAt && revoked > 0) {
            await insertAudit(tx, { ...ctx, actor }, {
              action: "auth.refresh_reuse",
              targetType: "user",
              targetId: user.id,
              targetName: user.username,
              after: { familyRevoked: row.familyId },
            });
          }
          // Never spent but revoked: the session was ended on purpose (logout, password change,
          // disabled user, or a reuse detected on an older token of the family).
          return { ok: false, error: row.usedAt ? REUSED_REFRESH : REVOKED_REFRESH } as const;
        }
        if (row.expiresAt.getTime() <= Date.now()) return { ok: false, error: "the refresh token has expired; log in again" } as const;
        if (user.disabled) return { ok: false, error: "the user is disabled" } as const;
        await dal.markRefreshTokenUsed(tx, row.id);
        return { ok: true, session: await issue(tx, user, row.familyId) } as const;
      });
      // Thrown after the commit: a revocation must not be rolled back with the error.
      if (!outcome.ok) throw new AppError("unauthenticated", outcome.error);
      return outcome.session;
    },

    /** Ends the session the refresh token belongs to. Unknown tokens are ignored (idempotent). */
    async logout(ctx: Omit<RequestContext, "actor">, refreshToken: string): Promise<void> {
      await store.db.transaction(async (tx) => {
        const row = await dal.findRefreshToken(tx, hashRefreshToken(refreshToken));
        if (!row) return;
        const revoked = await dal.revokeFamily(tx, row.familyId);
        const user = await users.findUserById(tx, row.userId);
        if (revoked > 0 && user) {
          await insertAudit(tx, { ...ctx, actor: { id: user.id, username: user.username, role: user.role } }, {
            action: "auth.logout",
            targetType: "user",
            targetId: user.id,
            targetName: user.username,
          });
        }
      });
    },
  };
}

export type AuthService = ReturnType<typeof authServiceFactory>;
