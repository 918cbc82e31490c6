import type { Role } from "../lib/context.js";

/** A user as the API shows it; the password hash never leaves the DAL. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserRow extends Omit<UserView, "createdAt" | "lastLoginAt"> {
  passwordHash: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export const USERNAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}$";
