import { unwrap, type Schemas } from "@ha-master/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "@/api/api-context";
import type { JsonBody } from "@/api/types";

export type Certificate = Schemas["Certificate"];
export type CertificateDetail = Schemas["CertificateDetail"];
export type UploadCertificateInput = JsonBody<"/api/v1/certificates", "post">;
export type RenewCertificateInput = JsonBody<"/api/v1/certificates/{certificate}", "put">;

export const certificateKeys = {
  all: ["certificates"] as const,
  one: (ref: string) => ["certificates", ref] as const,
};

export function useCertificates() {
  const api = useApi();
  return useQuery({
    queryKey: certificateKeys.all,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/certificates", { signal })).items,
  });
}

export function useCertificate(ref: string) {
  const api = useApi();
  return useQuery({
    queryKey: certificateKeys.one(ref),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/certificates/{certificate}", { params: { path: { certificate: ref } }, signal })),
  });
}

export function useUploadCertificate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (input: UploadCertificateInput) => unwrap(await api.POST("/api/v1/certificates", { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: certificateKeys.all }),
  });
}

export function useRenewCertificate(ref: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (input: RenewCertificateInput) =>
      unwrap(await api.PUT("/api/v1/certificates/{certificate}", { params: { path: { certificate: ref } }, body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: certificateKeys.all }),
  });
}

export function useDeleteCertificate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorTitle: "Could not delete the certificate" },
    mutationFn: async (ref: string) => unwrap(await api.DELETE("/api/v1/certificates/{certificate}", { params: { path: { certificate: ref } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: certificateKeys.all }),
  });
}
