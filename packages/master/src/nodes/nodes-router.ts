import { Type } from "typebox";
import { NullableTimestamp, Ref, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { NodesService } from "./nodes-service.js";

const NodeSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    clusterId: Uuid,
    clusterName: Type.String(),
    online: Type.Boolean(),
    lastSeenAt: NullableTimestamp,
    enrolledAt: Timestamp,
    revokedAt: NullableTimestamp,
    certNotAfter: Timestamp,
    agentVersion: Type.String(),
    haproxyVersion: Type.String(),
    mode: Type.String(),
    haproxyRunning: Type.Boolean(),
    failedReloads: Type.Integer(),
    appliedHash: Type.String(),
    appliedVersion: Type.Union([Type.Integer(), Type.Null()]),
    diskHash: Type.String(),
    drift: Type.Boolean({ description: "the files on disk differ from what was applied (edited by hand)" }),
    desiredVersion: Type.Union([Type.Integer(), Type.Null()]),
    inSync: Type.Boolean(),
    servers: Type.Array(
      Type.Object({
        proxy: Type.String(),
        server: Type.String(),
        status: Type.String(),
        weight: Type.Integer(),
        checkStatus: Type.String(),
        currentSessions: Type.Integer(),
      }),
    ),
  },
  { $id: "Node" },
);

export function registerNodeRoutes(app: App, deps: { nodes: NodesService }): void {
  const tags = ["nodes"];
  app.addSchema(NodeSchema);

  app.get(
    "/api/v1/nodes",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "Nodes: online, applied version, drift, backend health",
        querystring: Type.Object({ clusterId: Type.Optional(Ref) }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref("Node")) }) }),
      },
    },
    async (request) => ({ items: await deps.nodes.list(request.query.clusterId) }),
  );

  app.get(
    "/api/v1/nodes/:id",
    { config: { role: "viewer" }, schema: { tags, summary: "One node", params: Type.Object({ id: Uuid }), response: responses({ 200: Type.Ref("Node") }) } },
    async (request) => deps.nodes.get(request.params.id),
  );

  app.post(
    "/api/v1/nodes/:id/revoke",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Revoke a node: its stream closes at once and it is refused from then on",
        params: Type.Object({ id: Uuid }),
        response: responses({ 200: Type.Ref("Node") }),
      },
    },
    async (request) => deps.nodes.revoke(contextOf(request), request.params.id),
  );
}
