import { Type } from "typebox";
import { ROLES } from "../lib/context.js";
import { NullableTimestamp, responses, Timestamp, Uuid } from "../server/schemas.js";
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

export function registerUserRoutes(app: App, deps: { users: UsersService }): void {
  const { users } = deps;
  const tags = ["users"];
  app.addSchema(UserSchema);

  app.get(
    "/api/v1/users/me",
    { config: { role: "viewer" }, schema: { tags, summary: "The logged-in user", response: responses({ 200: Type.Ref("User") }) } },
    async (request) => users.get(request.actor!.id!),
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
