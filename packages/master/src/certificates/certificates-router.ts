import { Type } from "typebox";
import { NoContent, Ref, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { CertificatesService } from "./certificates-service.js";
import { CERTIFICATE_NAME_PATTERN } from "./certificates-types.js";

const viewFields = {
  id: Uuid,
  name: Type.String(),
  subject: Type.String(),
  issuer: Type.String(),
  sans: Type.Array(Type.String()),
  serialNumber: Type.String(),
  fingerprintSha256: Type.String(),
  keyAlgorithm: Type.String(),
  notBefore: Timestamp,
  notAfter: Timestamp,
  daysLeft: Type.Integer(),
  chainLength: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  bundlePath: Type.String({ description: "reference it in a config as `crt <bundlePath>`" }),
};
const CertificateSchema = Type.Object(viewFields, { $id: "Certificate" });
const CertificateDetail = Type.Object(
  {
    ...viewFields,
    certPem: Type.String({ description: "the public certificate chain; the private key is never returned" }),
    usedBy: Type.Array(
      Type.Object({ clusterId: Uuid, clusterName: Type.String(), version: Type.Integer(), lines: Type.Array(Type.Integer()) }),
    ),
    warnings: Type.Array(Type.String()),
  },
  { $id: "CertificateDetail" },
);

const Pem = (what: string) => Type.String({ minLength: 1, maxLength: 200_000, description: what });
const Upload = {
  certPem: Pem("PEM certificate, leaf first, then intermediates"),
  keyPem: Pem("PEM private key, unencrypted"),
};

export function registerCertificateRoutes(app: App, deps: { certificates: CertificatesService }): void {
  const { certificates } = deps;
  const tags = ["certificates"];
  app.addSchema(CertificateSchema);
  app.addSchema(CertificateDetail);
  const params = Type.Object({ certificate: Ref });

  app.get(
    "/api/v1/certificates",
    {
      config: { role: "viewer" },
      schema: { tags, summary: "List certificates", response: responses({ 200: Type.Object({ items: Type.Array(Type.Ref("Certificate")) }) }) },
    },
    async () => ({ items: await certificates.list() }),
  );

  app.post(
    "/api/v1/certificates",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Upload a certificate chain and its private key",
        description: "422 `certificate_invalid` when the key does not match the certificate.",
        body: Type.Object(
          { name: Type.String({ pattern: CERTIFICATE_NAME_PATTERN, description: "becomes certs/<name>.pem in bundles" }), ...Upload },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Ref("CertificateDetail") }),
      },
    },
    async (request, reply) => reply.code(201).send(await certificates.create(contextOf(request), request.body)),
  );

  app.get(
    "/api/v1/certificates/:certificate",
    {
      config: { role: "viewer" },
      schema: { tags, summary: "One certificate with its chain and the configs that use it", params, response: responses({ 200: Type.Ref("CertificateDetail") }) },
    },
    async (request) => certificates.get(request.params.certificate),
  );

  app.put(
    "/api/v1/certificates/:certificate",
    {
      config: { role: "admin" },
      schema: {
        tags,
        summary: "Renew: replace the certificate and key under the same name",
        params,
        body: Type.Object(Upload, { additionalProperties: false }),
        response: responses({ 200: Type.Ref("CertificateDetail") }),
      },
    },
    async (request) => certificates.replace(contextOf(request), request.params.certificate, request.body),
  );

  app.delete(
    "/api/v1/certificates/:certificate",
    {
      config: { role: "admin" },
      schema: { tags, summary: "Delete a certificate no current config uses", params, response: responses({ 204: NoContent }) },
    },
    async (request, reply) => {
      await certificates.remove(contextOf(request), request.params.certificate);
      return reply.code(204).send(null);
    },
  );
}
