import { asc, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { certificates } from "../db/schema.js";
import { isUuid } from "../clusters/clusters-types.js";

export type CertificateRow = typeof certificates.$inferSelect;
export type CertificateValues = Omit<typeof certificates.$inferInsert, "id" | "createdAt" | "updatedAt">;

export async function listCertificates(db: Db): Promise<CertificateRow[]> {
  return db.select().from(certificates).orderBy(asc(certificates.name));
}

export async function findCertificate(db: Db, ref: string): Promise<CertificateRow | undefined> {
  const [row] = await db
    .select()
    .from(certificates)
    .where(isUuid(ref) ? eq(certificates.id, ref) : eq(certificates.name, ref));
  return row;
}

export async function findCertificatesByName(db: Db, names: readonly string[]): Promise<CertificateRow[]> {
  if (names.length === 0) return [];
  return db.select().from(certificates).where(inArray(certificates.name, [...names]));
}

export async function insertCertificate(db: Db, values: CertificateValues): Promise<CertificateRow | undefined> {
  const [row] = await db.insert(certificates).values(values).onConflictDoNothing({ target: certificates.name }).returning();
  return row;
}

export async function replaceCertificate(
  db: Db,
  id: string,
  values: Omit<CertificateValues, "name" | "createdBy">,
): Promise<CertificateRow | undefined> {
  const [row] = await db
    .update(certificates)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(certificates.id, id))
    .returning();
  return row;
}

export async function deleteCertificate(db: Db, id: string): Promise<void> {
  await db.delete(certificates).where(eq(certificates.id, id));
}

/** Rows whose key is encrypted under another key than `keyId` (a rotation's work list). */
export async function certificatesNotUnderKey(db: Db, keyId: string): Promise<CertificateRow[]> {
  return db.select().from(certificates).where(ne(certificates.keyId, keyId)).for("update");
}

export async function setCertificateKey(db: Db, id: string, keyCiphertext: Buffer, keyId: string): Promise<void> {
  await db.update(certificates).set({ keyCiphertext, keyId }).where(eq(certificates.id, id));
}
