/** The roles, weakest first: each role may do everything the ones before it may. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is at least `required`. */
export function roleAllows(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** Who acts. `system` is the master itself (start-up, background jobs, commands). */
export interface Actor {
  id: string | null;
  username: string;
  role: Role;
}

/** What every service call that changes something carries, for the audit record. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
  clientIp: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: null, username: "system", role: "admin" });

/** A context for work the master does on its own behalf. */
export function systemContext(requestId: string | null = null): RequestContext {
  return { actor: SYSTEM_ACTOR, requestId, clientIp: null };
}
