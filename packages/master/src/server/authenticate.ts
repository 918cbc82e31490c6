import type { FastifyRequest } from "fastify";
import { AppError } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import type { AccessTokenCodec } from "../auth/tokens.js";
import { roleAllows, type Role } from "../lib/context.js";
import { findUserById } from "../users/users-dal.js";
import type { App } from "./types.js";

/**
 * Enforces every route's declared role. The token proves who the caller is; the user row, read on
 * every request, decides what they may do now — a disabled user or a changed role takes effect
 * at once, not when the token expires. Routes under /api and /auth that declare no role refuse
 * to register at all, so a forgotten declaration fails closed at start-up.
 */
export function registerAuthentication(
  app: App,
  deps: { store: { readonly db: Db }; tokens: AccessTokenCodec },
): RouteRole[] {
  const table: RouteRole[] = [];
  app.addHook("onRoute", (route) => {
    const url = route.url ?? route.path;
    const role = route.config?.role;
    if ((url.startsWith("/api/") || url.startsWith("/auth/")) && !role) {
      throw new Error(`route ${String(route.method)} ${url} declares no role`);
    }
    for (const method of [route.method].flat()) if (method !== "HEAD" && role) table.push({ method, url, role });
  });

  // onRequest: before the body is even parsed, so anonymous callers learn nothing from validation.
  app.addHook("onRequest", async (request: FastifyRequest) => {
    const required = request.routeOptions.config.role;
    if (!required || required === "public") return;
    const header = request.headers.authorization;
    if (!header) throw new AppError("unauthenticated", "log in first: this route needs an Authorization: Bearer token");
    const [scheme, token] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      throw new AppError("unauthenticated", "the Authorization header must be `Bearer <access token>`");
    }
    const claims = await deps.tokens.verify(token);
    const user = await findUserById(deps.store.db, claims.userId);
    if (!user || user.disabled) throw new AppError("unauthenticated", "the user is disabled or no longer exists");
    request.actor = { id: user.id, username: user.username, role: user.role };
    if (!roleAllows(user.role, required)) {
      throw new AppError("forbidden", `this needs the ${required} role; ${user.username} is ${user.role}`);
    }
  });
  return table;
}

/** A registered route and the weakest role that may call it. */
export interface RouteRole {
  method: string;
  url: string;
  role: Role | "public";
}
