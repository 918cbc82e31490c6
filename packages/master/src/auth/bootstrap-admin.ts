import { randomBytes } from "node:crypto";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import { systemContext } from "../lib/context.js";
import { countUsers, insertUser } from "../users/users-dal.js";
import { hashPassword } from "./password.js";

export const FIRST_ADMIN = "admin";

/**
 * Creates the first admin on a database without users: with HAMASTER_ADMIN_PASSWORD, or with a
 * generated password that the caller prints once. Returns undefined when users already exist.
 */
export async function bootstrapAdmin(
  db: Db,
  configuredPassword: string | undefined,
): Promise<{ username: string; generatedPassword?: string } | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const password = configuredPassword ?? randomBytes(18).toString("base64url");
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // Two replicas starting together: the unique user name lets exactly one of them win.
    const row = await insertUser(tx, { username: FIRST_ADMIN, passwordHash, role: "admin" });
    if (!row) return undefined;
    await insertAudit(tx, systemContext(), {
      action: "user.create",
      targetType: "user",
      targetId: row.id,
      targetName: row.username,
      after: { role: "admin", bootstrap: true },
    });
    return configuredPassword ? { username: row.username } : { username: row.username, generatedPassword: password };
  });
}
