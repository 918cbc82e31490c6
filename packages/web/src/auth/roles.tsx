import type { ReactNode } from "react";
import type { Schemas } from "@ha-master/api-client";
import { useAuthState } from "./use-auth";

export type Role = Schemas["User"]["role"];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** viewer < operator < admin, as the master enforces it. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Whether the current user may use controls that need `needed`. The server enforces it anyway. */
export function useCan(needed: Role): boolean {
  const state = useAuthState();
  return state.status === "signed-in" && roleAtLeast(state.user.role, needed);
}

/** Renders its children only for users with at least `role`; others see `fallback` (nothing by default). */
export function RequireRole({ role, children, fallback = null }: { role: Role; children: ReactNode; fallback?: ReactNode }) {
  return <>{useCan(role) ? children : fallback}</>;
}

/** The text a disabled control shows to explain why. */
export function needsRoleText(role: Role): string {
  return `Needs the ${role} role`;
}
