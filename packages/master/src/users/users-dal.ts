import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { refreshTokens, users } from "../db/schema.js";
import type { Role } from "../lib/context.js";
import type { UserRow } from "./users-types.js";

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByName(db: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.username));
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

/** Enabled admins other than `exceptId`: a change may never leave the system without one. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), ne(users.id, exceptId)));
  return row?.n ?? 0;
}

/** Inserts a user; returns undefined when the name is taken. */
export async function insertUser(
  db: Db,
  values: { username: string; passwordHash: string; role: Role },
): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing({ target: users.username }).returning();
  return row;
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<Pick<UserRow, "role" | "disabled" | "passwordHash" | "lastLoginAt">>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Ends every session of a user (disable, password change). */
export async function revokeUserRefreshTokens(db: Db, userId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.userId, userId), sql`${refreshTokens.revokedAt} is null`));
}
