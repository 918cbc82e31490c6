import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import { nodeKeys } from "@/features/nodes/node-queries";
import type { ServerAction } from "./cluster-servers";

export type ServerStateResult = Schemas["ServerStateResult"];

/** Sets a server's state on every node of a cluster; the answer has one line per node. */
export function useSetServerState(cluster: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { backend: string; server: string; state: ServerAction }) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/server-state", { params: { path: { cluster } }, body: input })),
    // The nodes' next heartbeats carry the new state.
    onSettled: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}
