import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";

export type FleetNode = Schemas["Node"];
export type NodeServer = FleetNode["servers"][number];

/** Heartbeats arrive every few seconds; the node views follow them at this pace. */
export const NODE_REFRESH_MS = 5_000;

export const nodeKeys = {
  all: ["nodes"] as const,
  list: (clusterId: string | undefined) => ["nodes", "list", clusterId ?? "*"] as const,
  one: (id: string) => ["nodes", "one", id] as const,
};

export function useNodes(clusterId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: nodeKeys.list(clusterId),
    refetchInterval: NODE_REFRESH_MS,
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/nodes", { params: { query: clusterId ? { clusterId } : {} }, signal })).items,
  });
}

export function useNode(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: nodeKeys.one(id),
    refetchInterval: NODE_REFRESH_MS,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/nodes/{id}", { params: { path: { id } }, signal })),
  });
}

export function useRevokeNode() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not revoke the node" },
    mutationFn: async (id: string) => unwrap(await api.POST("/api/v1/nodes/{id}/revoke", { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}
