import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { AppError } from "@ha-master/shared";
import { ROLES } from "../lib/context.js";
import { NoContent, NullableTimestamp, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { UsersService } from "./users-service.js";
import { USERNAME_PATTERN } from "./users-types.js";

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const UserSchema = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    role: RoleSchema,
    disabled: Type.Boolean(),
    createdAt: Timestamp,
    lastLoginAt: NullableTimestamp,
  },
  { $id: "User" },
);

export function registerUserRoutes(app: App, deps: { users: UsersService; passwordLimit: number }): void {
  const { users } = deps;
  const wrongPasswords = app.createRateLimit({
    max: deps.passwordLimit,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => `password|${req.actor?.id ?? req.ip}`,
  });
  const tags = ["users"];
  app.addSchema(UserSchema);

  app.get(
    "/api/v1/users/me",
    { config: { role: "viewer" }, schema: { tags, summary: "The logged-in user", response: responses({ 200: Type.Ref("User") }) } },
    async (request) => users.get(request.actor!.id!),
  );

  app.post(
    "/api/v1/users/me/password",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "Change your own password; every session of yours ends (log in again)",
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
            newPassword: Type.String({ maxLength: 1024, description: "12 to 1024 characters" }),
          },
          { additionalProperties: false },
        ),
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      // Guessing the current password from a session left open is throttled like logins.
      const limit = await wrongPasswords(request, { increment: false });
      if (!limit.isAllowed && (limit.isExceeded || limit.remaining <= 0)) {
        reply.header("retry-after", String(limit.ttlInSeconds));
        throw new AppError("rate_limited", `too many wrong passwords; try again in ${limit.ttlInSeconds} s`, { retryAfterSeconds: limit.ttlInSeconds });
      }
      try {
        await users.changeOwnPassword(contextOf(request), request.body);
      } catch (err) {
        if (err instanceof AppError && err.code === "forbidden") await wrongPasswords(request);
        throw err;
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/users",
    {
      config: { role: "admin" },
      schema: { tags, summary: "List users", response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref("User")) }) }) },
    },
    async () => ({ items: await users.list() }),
  );

  app.post(
    "/api/v1/users",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Create a user",
        body: Type.Object(
          {
            username: Type.String({ pattern: USERNAME_PATTERN, description: "letters, digits, . _ @ -; up to 64" }),
            password: Type.String({ minLength: 12, maxLength: 1024 }),
            role: RoleSchema,
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Ref("User") }),
      },
    },
    async (request, reply) => reply.code(201).send(await users.create(contextOf(request), request.body)),
  );

  app.patch(
    "/api/v1/users/:id",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Change a user's role, disable or enable them, or set a new password",
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            role: Type.Optional(RoleSchema),
            disabled: Type.Optional(Type.Boolean()),
            password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: responses({ 200: Type.Ref("User") }),
      },
    },
    async (request) => users.update(contextOf(request), request.params.id, request.body),
  );
}
