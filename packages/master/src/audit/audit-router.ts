import { Type } from "typebox";
import { AppError } from "@ha-master/shared";
import { Limit, responses, Timestamp } from "../server/schemas.js";
import type { App } from "../server/types.js";
import type { AuditService } from "./audit-service.js";

const AuditRecordSchema = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    actorId: Type.Union([Type.String(), Type.Null()]),
    actorName: Type.String(),
    action: Type.String(),
    targetType: Type.String(),
    targetId: Type.Union([Type.String(), Type.Null()]),
    targetName: Type.Union([Type.String(), Type.Null()]),
    summary: Type.Object({ before: Type.Optional(Type.Unknown()), after: Type.Optional(Type.Unknown()) }),
    requestId: Type.Union([Type.String(), Type.Null()]),
    clientIp: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: "AuditRecord" },
);

export function registerAuditRoutes(app: App, deps: { audit: AuditService }): void {
  app.addSchema(AuditRecordSchema);
  app.get(
    "/api/v1/audit",
    {
      config: { role: "viewer" },
      schema: {
        tags: ["audit"],
        summary: "The audit log, newest first",
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.String({ maxLength: 100, description: "exact, or a prefix ending in .* (config.*)" })),
            targetType: Type.Optional(Type.String({ maxLength: 50 })),
            targetId: Type.Optional(Type.String({ maxLength: 100 })),
            from: Type.Optional(Timestamp),
            to: Type.Optional(Timestamp),
            cursor: Type.Optional(Type.Integer({ minimum: 1, description: "nextCursor of the previous page" })),
            limit: Limit(200, 50),
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({ items: Type.Array(Type.Ref("AuditRecord")), nextCursor: Type.Union([Type.Integer(), Type.Null()]) }),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const from = q.from ? new Date(q.from) : undefined;
      const to = q.to ? new Date(q.to) : undefined;
      if (from && to && from > to) throw new AppError("bad_request", "query.from must not be after query.to");
      return deps.audit.list({ ...q, from, to, limit: q.limit ?? 50 });
    },
  );
}
