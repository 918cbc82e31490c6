import type { Role } from "@/auth/roles";

export const ROLES: readonly Role[] = ["viewer", "operator", "admin"];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Sees everything; changes nothing.",
  operator: "Also edits configs, creates clusters, deploys and rolls back.",
  admin: "Also manages users, certificates, enrolment tokens and nodes.",
};
