import { eq, ne } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { certificateAuthorities } from "../db/schema.js";

export type CaRow = typeof certificateAuthorities.$inferSelect;

/** CA rows whose key is not yet under `keyId` (a rotation's work list). */
export async function caRowsNotUnderKey(db: Db, keyId: string): Promise<CaRow[]> {
  return db.select().from(certificateAuthorities).where(ne(certificateAuthorities.keyId, keyId)).for("update");
}

export async function setCaKey(db: Db, id: string, keyCiphertext: Buffer, keyId: string): Promise<void> {
  await db.update(certificateAuthorities).set({ keyCiphertext, keyId }).where(eq(certificateAuthorities.id, id));
}
