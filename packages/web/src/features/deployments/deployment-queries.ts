import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { JsonBody } from "@/api/types";
import { clusterKeys } from "@/features/clusters/cluster-queries";
import { nodeKeys } from "@/features/nodes/node-queries";

export type Deployment = Schemas["Deployment"];
export type DeploymentTarget = NonNullable<Deployment["targets"]>[number];
export type CreateDeploymentInput = JsonBody<"/api/v1/clusters/{cluster}/deployments", "post">;

export const FINAL_STATUSES: readonly Deployment["status"][] = ["succeeded", "failed", "rolled_back", "cancelled"];

export function isFinal(deployment: Pick<Deployment, "status">): boolean {
  return FINAL_STATUSES.includes(deployment.status);
}

/** Lists poll fast while a deployment in them is still running. */
function pollWhileRunning(query: { state: { data?: Deployment[] | undefined } }): number {
  return query.state.data?.some((d) => !isFinal(d)) ? 3_000 : 30_000;
}

export const deploymentKeys = {
  all: ["deployments"] as const,
  latest: (limit: number) => ["deployments", "latest", limit] as const,
  ofCluster: (cluster: string) => ["deployments", "cluster", cluster] as const,
  one: (id: string) => ["deployments", "one", id] as const,
};

/** The latest deployments of every cluster; refreshed while one is still running. */
export function useLatestDeployments(limit = 20) {
  const api = useApi();
  return useQuery({
    queryKey: deploymentKeys.latest(limit),
    refetchInterval: pollWhileRunning,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/deployments", { params: { query: { limit } }, signal })).items,
  });
}

export function useClusterDeployments(cluster: string) {
  const api = useApi();
  return useQuery({
    queryKey: deploymentKeys.ofCluster(cluster),
    refetchInterval: pollWhileRunning,
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments", { params: { path: { cluster }, query: { limit: 50 } }, signal })).items,
  });
}

/** One deployment with its targets; kept live by useDeploymentEvents while it runs. */
export function useDeployment(cluster: string, id: string) {
  const api = useApi();
  return useQuery({
    queryKey: deploymentKeys.one(id),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/clusters/{cluster}/deployments/{id}", { params: { path: { cluster, id } }, signal })),
  });
}

function useInvalidateFleet() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: deploymentKeys.all }),
      queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
      queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
    ]);
}

export function useCreateDeployment(cluster: string) {
  const api = useApi();
  const invalidate = useInvalidateFleet();
  return useMutation({
    meta: { errorTitle: "Could not start the deployment" },
    mutationFn: async (input: CreateDeploymentInput) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/deployments", { params: { path: { cluster } }, body: input })),
    onSuccess: invalidate,
  });
}

export function useRollbackDeployment(cluster: string) {
  const api = useApi();
  const invalidate = useInvalidateFleet();
  return useMutation({
    meta: { errorTitle: "Could not roll back" },
    mutationFn: async (id: string) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/deployments/{id}/rollback", { params: { path: { cluster, id } } })),
    onSuccess: invalidate,
  });
}

export function useCancelDeployment(cluster: string) {
  const api = useApi();
  const invalidate = useInvalidateFleet();
  return useMutation({
    meta: { errorTitle: "Could not cancel the deployment" },
    mutationFn: async (id: string) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/deployments/{id}/cancel", { params: { path: { cluster, id } } })),
    onSuccess: invalidate,
  });
}
