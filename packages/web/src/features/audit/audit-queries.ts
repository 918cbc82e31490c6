import { unwrap, type Schemas } from "@ha-master/api-client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { QueryParams } from "@/api/types";

export type AuditRecord = Schemas["AuditRecord"];
export type AuditQuery = QueryParams<"/api/v1/audit", "get">;

export const auditKeys = {
  page: (query: AuditQuery) => ["audit", query] as const,
};

/** One page of the audit log for these filters; `cursor` is the previous page's nextCursor. */
export function useAuditPage(query: AuditQuery) {
  const api = useApi();
  return useQuery({
    queryKey: auditKeys.page(query),
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/audit", { params: { query }, signal })),
  });
}
