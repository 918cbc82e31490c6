import { hash, verify } from "@node-rs/argon2";

// Algorithm.Argon2id; the enum is a const enum, which isolated modules cannot read.
const ARGON2ID = 2;

// Argon2id with OWASP's recommended minimum (19 MiB, 2 passes): memory-hard, ~30 ms here.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password for storage (PHC string with its own salt and parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against a stored hash; false for a malformed hash too. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as a real check, for logins naming a user that does not exist, so the
 * response time does not tell which user names are valid.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword("ha-master timing equaliser");
  await verifyPassword(await dummy, password);
  return false;
}

/** The password rules, as one sentence for error messages. */
export const PASSWORD_RULE = "passwords must be 12 to 1024 characters long";

export function isAcceptablePassword(password: string): boolean {
  return password.length >= 12 && password.length <= 1024;
}
