import { unwrap, type Schemas } from "@ha-master/api-client";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { JsonBody } from "@/api/types";
import { clusterKeys } from "@/features/clusters/cluster-queries";

export type ConfigVersion = Schemas["ConfigVersion"];
export type ConfigVersionDetail = Schemas["ConfigVersionDetail"];
export type ConfigValidation = Schemas["ConfigValidation"];
export type ConfigSaveResult = Schemas["ConfigSaveResult"];
export type ConfigDiff = Schemas["ConfigDiff"];
export type SaveConfigInput = JsonBody<"/api/v1/clusters/{cluster}/configs", "post">;

/** What a 409 stale_base carries: the version the save was based on and the one it lost to. */
export interface StaleBaseDetails {
  baseVersion: number;
  currentVersion: number;
  currentAuthor: string;
  currentMessage: string;
}

export const configKeys = {
  versions: (cluster: string) => ["configs", cluster, "versions"] as const,
  version: (cluster: string, version: number | "latest") => ["configs", cluster, "version", version] as const,
  diff: (cluster: string, from: number, to: number) => ["configs", cluster, "diff", from, to] as const,
};

const PAGE_SIZE = 50;

/** A cluster's versions, newest first, a page at a time. */
export function useConfigVersions(cluster: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: configKeys.versions(cluster),
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET("/api/v1/clusters/{cluster}/configs", {
          params: { path: { cluster }, query: { limit: PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
}

/** One version with its content; disabled while `version` is undefined. Versions never change. */
export function useConfigVersion(cluster: string, version: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: configKeys.version(cluster, version ?? 0),
    enabled: version !== undefined && version > 0,
    staleTime: Infinity,
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/clusters/{cluster}/configs/{version}", {
          params: { path: { cluster, version: String(version) } },
          signal,
        }),
      ),
  });
}

export function useConfigDiff(cluster: string, from: number | undefined, to: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: configKeys.diff(cluster, from ?? 0, to ?? 0),
    enabled: !!from && !!to,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/clusters/{cluster}/configs/diff", {
          params: { path: { cluster }, query: { from: String(from), to: String(to) } },
          signal,
        }),
      ),
  });
}

/** Fetches one version's content on demand (the stale-base flow needs the winner's text). */
export function useFetchConfigVersion(cluster: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return (version: number) =>
    queryClient.fetchQuery({
      queryKey: configKeys.version(cluster, version),
      staleTime: Infinity,
      queryFn: async () =>
        unwrap(await api.GET("/api/v1/clusters/{cluster}/configs/{version}", { params: { path: { cluster, version: String(version) } } })),
    });
}

export function useValidateConfig(cluster: string) {
  const api = useApi();
  return useMutation({
    meta: { errorTitle: "Validation failed to run" },
    mutationFn: async (content: string) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/configs/validate", { params: { path: { cluster } }, body: { content } })),
  });
}

/** Saves a version. Errors (422 invalid, 409 stale base) are the editor's to show. */
export function useSaveConfig(cluster: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (input: SaveConfigInput) =>
      unwrap(await api.POST("/api/v1/clusters/{cluster}/configs", { params: { path: { cluster } }, body: input })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: configKeys.versions(cluster) }),
        queryClient.invalidateQueries({ queryKey: clusterKeys.all }),
      ]);
    },
  });
}
