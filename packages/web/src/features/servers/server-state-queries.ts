import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import { nodeKeys } from "@/features/nodes/node-queries";
import type { ServerAction } from "./cluster-servers";

export type ServerStateResult = Schemas["ServerStateResult"];
export type NodeServerStateResult = ServerStateResult["nodes"][number];

/** An agent sends a heartbeat right after its answer; this catches it without waiting for the next refresh. */
const HEARTBEAT_FOLLOW_UP_MS = 1_000;

/**
 * Sets a server's state on every node of a cluster; the answer has one line per node. Its dialog
 * shows a failure itself (with the request id), so no toast; the nodes are fetched again after.
 */
export function useSetServerState(cluster: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (input: { backend: string; server: string; state: ServerAction }) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/server-state", { params: { path: { cluster } }, body: input })),
    onSettled: () => {
      const refetchNodes = () => void queryClient.invalidateQueries({ queryKey: nodeKeys.all });
      refetchNodes();
      setTimeout(refetchNodes, HEARTBEAT_FOLLOW_UP_MS);
    },
  });
}
