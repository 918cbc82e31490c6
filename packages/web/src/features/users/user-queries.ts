import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { JsonBody } from "@/api/types";
import { useCan } from "@/auth/roles";

export type User = Schemas["User"];
export type CreateUserInput = JsonBody<"/api/v1/users", "post">;
export type UpdateUserInput = JsonBody<"/api/v1/users/{id}", "patch">;

export const userKeys = { all: ["users"] as const };

/** The user list; only fetched for admins (the API refuses everyone else). */
export function useUsers() {
  const api = useApi();
  const isAdmin = useCan("admin");
  return useQuery({
    queryKey: userKeys.all,
    enabled: isAdmin,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/users", { signal })).items,
  });
}

export function useCreateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (input: CreateUserInput) => unwrap(await api.POST("/api/v1/users", { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useUpdateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not change the user" },
    mutationFn: async ({ id, ...body }: UpdateUserInput & { id: string }) =>
      unwrap(await api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}
