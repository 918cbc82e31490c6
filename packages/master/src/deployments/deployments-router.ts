import { Type } from "typebox";
import type { EventBus } from "../bus/event-bus.js";
import { Limit, NullableTimestamp, Ref, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { DeploymentsService } from "./deployments-service.js";
import { FINAL_STATUSES } from "./deployments-types.js";
import { streamDeployment } from "./deployment-events.js";

const TargetStatus = Type.Union(
  ["pending", "skipped", "applying", "succeeded", "failed", "rolling_back", "rolled_back", "cancelled"].map((s) => Type.Literal(s)),
);
const DeploymentSchema = Type.Object(
  {
    id: Uuid,
    clusterId: Uuid,
    clusterName: Type.String(),
    version: Type.Integer(),
    previousVersion: Type.Union([Type.Integer(), Type.Null()]),
    bundleHash: Type.String(),
    kind: Type.Union([Type.Literal("deploy"), Type.Literal("rollback")]),
    rollbackOf: Type.Union([Uuid, Type.Null()]),
    status: Type.Union(["pending", "running", "succeeded", "failed", "rolled_back", "cancelled"].map((s) => Type.Literal(s))),
    batchSize: Type.Integer(),
    autoRollback: Type.Boolean(),
    error: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    createdBy: Type.String(),
    createdAt: Timestamp,
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
    counts: Type.Object({
      total: Type.Integer(),
      pending: Type.Integer(),
      applying: Type.Integer(),
      succeeded: Type.Integer(),
      failed: Type.Integer(),
      skipped: Type.Integer(),
      rolledBack: Type.Integer(),
    }),
    targets: Type.Optional(
      Type.Array(
        Type.Object({
          nodeId: Uuid,
          nodeName: Type.String(),
          batch: Type.Integer({ description: "0 is the canary" }),
          status: TargetStatus,
          error: Type.Union([Type.String(), Type.Null()]),
          errorLines: Type.Array(Type.Object({ file: Type.String(), line: Type.Integer(), message: Type.String() })),
          startedAt: NullableTimestamp,
          finishedAt: NullableTimestamp,
        }),
      ),
    ),
  },
  { $id: "Deployment" },
);

export function registerDeploymentRoutes(app: App, deps: { deployments: DeploymentsService; bus: EventBus }): void {
  const { deployments } = deps;
  const tags = ["deployments"];
  app.addSchema(DeploymentSchema);
  const clusterParams = Type.Object({ cluster: Ref });
  const params = Type.Object({ cluster: Ref, id: Uuid });
  const list = Type.Object({ items: Type.Array(Type.Ref("Deployment")) });

  app.post(
    "/api/v1/clusters/:cluster/deployments",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Deploy a config version to every node of the cluster: canary first, then batches",
        description: "Nodes already running the version are skipped; if all are, the deployment ends at once and says so.",
        params: clusterParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: "default: a quarter of the nodes" })),
            autoRollback: Type.Optional(Type.Boolean({ description: "default true: on failure, switched nodes go back" })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Ref("Deployment") }),
      },
    },
    async (request, reply) => reply.code(201).send(await deployments.create(contextOf(request), request.params.cluster, request.body)),
  );

  app.get(
    "/api/v1/clusters/:cluster/deployments",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "A cluster's deployments, newest first",
        params: clusterParams,
        querystring: Type.Object({ limit: Limit(200, 50) }, { additionalProperties: false }),
        response: responses({ 200: list }),
      },
    },
    async (request) => ({ items: await deployments.list(request.params.cluster, request.query.limit ?? 50) }),
  );

  app.get(
    "/api/v1/deployments",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "The latest deployments of every cluster",
        querystring: Type.Object({ limit: Limit(200, 20) }, { additionalProperties: false }),
        response: responses({ 200: list }),
      },
    },
    async (request) => ({ items: await deployments.list(undefined, request.query.limit ?? 20) }),
  );

  app.get(
    "/api/v1/clusters/:cluster/deployments/:id",
    { config: { role: "viewer" }, schema: { tags, summary: "One deployment with every node's status", params, response: responses({ 200: Type.Ref("Deployment") }) } },
    async (request) => deployments.get(request.params.cluster, request.params.id),
  );

  app.get(
    "/api/v1/clusters/:cluster/deployments/:id/events",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "Live progress (Server-Sent Events): `snapshot`, then `update` on every change, `end` when final",
        params,
        produces: ["text/event-stream"],
      },
    },
    async (request, reply) => {
      const first = await deployments.get(request.params.cluster, request.params.id);
      await streamDeployment(reply, {
        first,
        final: (d) => FINAL_STATUSES.includes(d.status),
        reload: () => deployments.get(request.params.cluster, request.params.id),
        subscribe: (onChange) =>
          deps.bus.subscribe((m) => {
            if (m.type === "deployment" && m.deploymentId === first.id) onChange();
          }),
      });
    },
  );

  app.post(
    "/api/v1/clusters/:cluster/deployments/:id/rollback",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Put back the version the cluster ran before this deployment (a new deployment)",
        params,
        response: responses({ 201: Type.Ref("Deployment") }),
      },
    },
    async (request, reply) => reply.code(201).send(await deployments.rollback(contextOf(request), request.params.cluster, request.params.id)),
  );

  app.post(
    "/api/v1/clusters/:cluster/deployments/:id/cancel",
    {
      config: { role: "operator" },
      schema: { tags, summary: "Stop a rollout in progress; nodes not reached yet keep their version", params, response: responses({ 200: Type.Ref("Deployment") }) },
    },
    async (request) => deployments.cancel(contextOf(request), request.params.cluster, request.params.id),
  );
}
