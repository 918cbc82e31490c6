import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { JsonBody } from "@/api/types";
import { useCan } from "@/auth/roles";

export type EnrollmentToken = Schemas["EnrollmentToken"];
export type CreatedEnrollmentToken = Schemas["CreatedEnrollmentToken"];
export type CreateTokenInput = JsonBody<"/api/v1/enrollment-tokens", "post">;

export const enrollmentKeys = { all: ["enrollment-tokens"] as const };

export function useEnrollmentTokens() {
  const api = useApi();
  const isAdmin = useCan("admin");
  return useQuery({
    queryKey: enrollmentKeys.all,
    enabled: isAdmin,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/enrollment-tokens", { params: { query: {} }, signal })).items,
  });
}

export function useCreateToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not create the join token" },
    mutationFn: async (input: CreateTokenInput) => unwrap(await api.POST("/api/v1/enrollment-tokens", { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: enrollmentKeys.all }),
  });
}

export function useRevokeToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not revoke the token" },
    mutationFn: async (id: string) => unwrap(await api.POST("/api/v1/enrollment-tokens/{id}/revoke", { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: enrollmentKeys.all }),
  });
}
