import { Type } from "typebox";
import { Ref, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { EnrollmentService } from "./enrollment-service.js";

const tokenFields = {
  id: Uuid,
  clusterId: Uuid,
  clusterName: Type.String(),
  description: Type.String(),
  maxUses: Type.Integer(),
  useCount: Type.Integer(),
  expiresAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  status: Type.Union([Type.Literal("active"), Type.Literal("expired"), Type.Literal("used_up"), Type.Literal("revoked")]),
};
const TokenSchema = Type.Object(tokenFields, { $id: "EnrollmentToken" });
const CreatedTokenSchema = Type.Object(
  {
    ...tokenFields,
    token: Type.String({ description: "shown once; only its hash is stored" }),
    joinCommand: Type.String({ description: "run it on the HAProxy host" }),
  },
  { $id: "CreatedEnrollmentToken" },
);

export function registerEnrollmentRoutes(app: App, deps: { enrollment: EnrollmentService }): void {
  const tags = ["enrolment"];
  app.addSchema(TokenSchema);
  app.addSchema(CreatedTokenSchema);

  app.post(
    "/api/v1/enrollment-tokens",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Create a join token; answers the token once with the complete `ha-agent join` command",
        body: Type.Object(
          {
            clusterId: Ref,
            ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_592_000, description: "default 3600" })),
            uses: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "how many nodes may join with it; default 1" })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Ref("CreatedEnrollmentToken") }),
      },
    },
    async (request, reply) => reply.code(201).send(await deps.enrollment.create(contextOf(request), request.body)),
  );

  app.get(
    "/api/v1/enrollment-tokens",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "List join tokens (never the tokens themselves)",
        querystring: Type.Object({ clusterId: Type.Optional(Ref) }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref("EnrollmentToken")) }) }),
      },
    },
    async (request) => ({ items: await deps.enrollment.list(request.query.clusterId) }),
  );

  app.post(
    "/api/v1/enrollment-tokens/:id/revoke",
    {
      config: { role: "admin" },
      schema: { tags, summary: "Revoke a join token", params: Type.Object({ id: Uuid }), response: responses({ 200: Type.Ref("EnrollmentToken") }) },
    },
    async (request) => deps.enrollment.revoke(contextOf(request), request.params.id),
  );
}
