import { Type } from "typebox";
import { SERVER_STATES } from "@ha-master/shared";
import { Ref, responses, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { ServerStateService } from "./server-state-service.js";

const ServerStateResultSchema = Type.Object(
  {
    clusterId: Uuid,
    backend: Type.String(),
    server: Type.String(),
    state: Type.Union(SERVER_STATES.map((s) => Type.Literal(s))),
    ok: Type.Boolean({ description: "every node of the cluster took the new state" }),
    nodes: Type.Array(
      Type.Object({
        nodeId: Uuid,
        nodeName: Type.String(),
        status: Type.Union([Type.Literal("ok"), Type.Literal("failed"), Type.Literal("offline"), Type.Literal("timeout")]),
        output: Type.String(),
        error: Type.String(),
      }),
    ),
  },
  { $id: "ServerStateResult" },
);

export function registerServerStateRoutes(app: App, deps: { serverState: ServerStateService }): void {
  app.addSchema(ServerStateResultSchema);
  app.post(
    "/api/v1/clusters/:cluster/server-state",
    {
      config: { role: "operator" },
      schema: {
        tags: ["runtime"],
        summary: "Set a server's state (ready, drain, maint) on every node of the cluster, without a reload",
        description:
          "Sends `set server <backend>/<server> state <state>` to each online node's HAProxy runtime API and answers with one result per node " +
          "(ok, failed with HAProxy's message, offline, or timeout). `ok` is true only when every node took it. The state lasts until " +
          "HAProxy next reloads (a deployment); a lasting change belongs in the config.",
        params: Type.Object({ cluster: Ref }),
        body: Type.Object(
          {
            backend: Type.String({ minLength: 1, maxLength: 127 }),
            server: Type.String({ minLength: 1, maxLength: 127 }),
            state: Type.String({ description: "ready, drain or maint" }),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Ref("ServerStateResult") }),
      },
    },
    async (request) => deps.serverState.setServerState(contextOf(request), request.params.cluster, request.body),
  );
}
