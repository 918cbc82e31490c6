import { ApiError } from "@ha-master/api-client";
import { MutationCache, QueryClient } from "@tanstack/react-query";
import { toastError } from "@/api/errors";

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: {
      /** The mutation shows its own errors (e.g. the stale-base dialog); no toast. */
      handlesErrors?: boolean;
      /** The toast's title when it fails. */
      errorTitle?: string;
    };
  }
}

/**
 * Queries show their errors in place (with the request id); failed mutations raise a toast
 * that carries the request id, unless the mutation handles its errors itself.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, err) => failures < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        if (!mutation.meta?.handlesErrors) toastError(err, mutation.meta?.errorTitle);
      },
    }),
  });
}
