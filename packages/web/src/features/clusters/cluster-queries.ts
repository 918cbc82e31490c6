import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { JsonBody } from "@/api/types";

export type Cluster = Schemas["Cluster"];
export type CreateClusterInput = JsonBody<"/api/v1/clusters", "post">;

export const clusterKeys = {
  all: ["clusters"] as const,
  one: (ref: string) => ["clusters", ref] as const,
};

export function useClusters() {
  const api = useApi();
  return useQuery({
    queryKey: clusterKeys.all,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/clusters", { signal })).items,
  });
}

/** One cluster by id or name (the URL uses its name). */
export function useCluster(ref: string) {
  const api = useApi();
  return useQuery({
    queryKey: clusterKeys.one(ref),
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/clusters/{cluster}", { params: { path: { cluster: ref } }, signal })),
  });
}

export function useCreateCluster() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (input: CreateClusterInput) => unwrap(await api.POST("/api/v1/clusters", { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
  });
}

export function useUpdateClusterDescription(ref: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not change the description" },
    mutationFn: async (description: string) =>
      unwrap(await api.PATCH("/api/v1/clusters/{cluster}", { params: { path: { cluster: ref } }, body: { description } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
  });
}

export function useDeleteCluster() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not delete the cluster" },
    mutationFn: async (ref: string) => unwrap(await api.DELETE("/api/v1/clusters/{cluster}", { params: { path: { cluster: ref } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
  });
}
