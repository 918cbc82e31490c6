import { Type } from "typebox";
import { NoContent, Ref, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { ClustersService } from "./clusters-service.js";
import { CLUSTER_NAME_PATTERN } from "./clusters-types.js";

export const ClusterSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    createdAt: Timestamp,
    latestVersion: Type.Integer({ description: "newest config version; 0 when none" }),
    desiredVersion: Type.Union([Type.Integer(), Type.Null()], { description: "the version the last completed deployment put on the nodes" }),
    nodeCount: Type.Integer(),
  },
  { $id: "Cluster" },
);

export function registerClusterRoutes(app: App, deps: { clusters: ClustersService }): void {
  const { clusters } = deps;
  const tags = ["clusters"];
  app.addSchema(ClusterSchema);

  app.get(
    "/api/v1/clusters",
    {
      config: { role: "viewer" },
      schema: { tags, summary: "List clusters", response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref("Cluster")) }) }) },
    },
    async () => ({ items: await clusters.list() }),
  );

  app.post(
    "/api/v1/clusters",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Create a cluster",
        body: Type.Object(
          {
            name: Type.String({ pattern: CLUSTER_NAME_PATTERN, description: "lower-case letters, digits and dashes (DNS label)" }),
            description: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Ref("Cluster") }),
      },
    },
    async (request, reply) => reply.code(201).send(await clusters.create(contextOf(request), request.body)),
  );

  app.get(
    "/api/v1/clusters/:cluster",
    {
      config: { role: "viewer" },
      schema: { tags, summary: "One cluster, by id or name", params: Type.Object({ cluster: Ref }), response: responses({ 200: Type.Ref("Cluster") }) },
    },
    async (request) => clusters.get(request.params.cluster),
  );

  app.patch(
    "/api/v1/clusters/:cluster",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Change a cluster's description",
        params: Type.Object({ cluster: Ref }),
        body: Type.Object({ description: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        response: responses({ 200: Type.Ref("Cluster") }),
      },
    },
    async (request) => clusters.update(contextOf(request), request.params.cluster, request.body),
  );

  app.delete(
    "/api/v1/clusters/:cluster",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Delete an empty cluster (no config versions, no nodes)",
        params: Type.Object({ cluster: Ref }),
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await clusters.remove(contextOf(request), request.params.cluster);
      return reply.code(204).send(null);
    },
  );
}
