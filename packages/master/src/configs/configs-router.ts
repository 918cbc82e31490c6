import { Type } from "typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AppError } from "@ha-master/shared";
import { Limit, Ref, responses, Timestamp, Uuid } from "../server/schemas.js";
import { contextOf, type App } from "../server/types.js";
import type { ConfigsService } from "./configs-service.js";

const VersionRef = Type.String({ pattern: "^([1-9][0-9]{0,8}|latest)$", description: "a version number or `latest`" });
const parseVersion = (v: string): number | "latest" => (v === "latest" ? "latest" : Number(v));

const Problem = Type.Object(
  {
    line: Type.Union([Type.Integer(), Type.Null()]),
    severity: Type.Union([Type.Literal("error"), Type.Literal("warning")]),
    source: Type.Union([Type.Literal("parser"), Type.Literal("bundle"), Type.Literal("haproxy")]),
    message: Type.String(),
    code: Type.Optional(Type.String()),
  },
  { $id: "ConfigProblem" },
);

const Validation = Type.Object(
  {
    valid: Type.Boolean(),
    errors: Type.Array(Type.Ref("ConfigProblem")),
    warnings: Type.Array(Type.Ref("ConfigProblem")),
    haproxy: Type.Object({ checked: Type.Boolean(), version: Type.Union([Type.String(), Type.Null()]), note: Type.Optional(Type.String()) }),
  },
  { $id: "ConfigValidation" },
);

const versionFields = {
  id: Uuid,
  clusterId: Uuid,
  version: Type.Integer(),
  hash: Type.String({ description: "SHA-256 of the content, hex" }),
  message: Type.String(),
  parentVersion: Type.Union([Type.Integer(), Type.Null()]),
  source: Type.Union([Type.Literal("api"), Type.Literal("import")]),
  author: Type.String(),
  createdAt: Timestamp,
  size: Type.Integer({ description: "bytes" }),
};
const VersionSchema = Type.Object(versionFields, { $id: "ConfigVersion" });
const VersionDetail = Type.Object({ ...versionFields, content: Type.String() }, { $id: "ConfigVersionDetail" });
const SaveResult = Type.Object(
  {
    ...versionFields,
    created: Type.Boolean({ description: "false when the content equals the current version: nothing was saved" }),
    note: Type.Optional(Type.String()),
    warnings: Type.Array(Type.Ref("ConfigProblem")),
  },
  { $id: "ConfigSaveResult" },
);
const SectionChanges = Type.Object({ added: Type.Array(Type.String()), removed: Type.Array(Type.String()), changed: Type.Array(Type.String()) });
const DiffSchema = Type.Object(
  {
    from: Type.Integer(),
    to: Type.Integer(),
    fromHash: Type.String(),
    toHash: Type.String(),
    unified: Type.String(),
    stats: Type.Object({ added: Type.Integer(), removed: Type.Integer() }),
    summary: Type.Object({
      frontends: SectionChanges,
      backends: SectionChanges,
      servers: SectionChanges,
      globalChanged: Type.Boolean(),
      defaultsChanged: Type.Boolean(),
      others: Type.Object(SectionChanges.properties, { description: 'other named sections (userlist, peers, resolvers, …) as "type name"' }),
    }),
  },
  { $id: "ConfigDiff" },
);

const Content = Type.String({ maxLength: 1_000_000, description: "the whole haproxy.cfg" });
const Message = Type.String({ minLength: 1, maxLength: 1000, description: "why this change" });
const BaseVersion = Type.Integer({ minimum: 0, description: "the version this content was edited from; 0 for the first" });

export function registerConfigRoutes(app: App, deps: { configs: ConfigsService }): void {
  const { configs } = deps;
  const tags = ["configs"];
  for (const s of [Problem, Validation, VersionSchema, VersionDetail, SaveResult, DiffSchema]) app.addSchema(s);
  const params = Type.Object({ cluster: Ref });

  app.get(
    "/api/v1/clusters/:cluster/configs",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "A cluster's config versions, newest first (without content)",
        params,
        querystring: Type.Object(
          { limit: Limit(500, 100), before: Type.Optional(Type.Integer({ minimum: 1, description: "nextBefore of the previous page" })) },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({ items: Type.Array(Type.Ref("ConfigVersion")), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }),
        }),
      },
    },
    async (request) => configs.list(request.params.cluster, { limit: request.query.limit ?? 100, before: request.query.before }),
  );

  app.post(
    "/api/v1/clusters/:cluster/configs",
    {
      config: { role: "operator" },
      schema: {
        tags,
        summary: "Save a new config version",
        description:
          "Validated first (422 with line numbers). 409 `stale_base` when baseVersion is not the current version. " +
          "Identical content answers 200 with created=false.",
        params,
        body: Type.Object({ content: Content, message: Message, baseVersion: BaseVersion }, { additionalProperties: false }),
        response: responses({ 200: Type.Ref("ConfigSaveResult"), 201: Type.Ref("ConfigSaveResult") }),
      },
    },
    async (request, reply) => {
      const result = await configs.save(contextOf(request), request.params.cluster, request.body);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  // Import takes the file as it is (text/plain), so nothing in it is mangled by JSON or shell quoting.
  app.register(async (plain) => {
    const raw = plain.withTypeProvider<TypeBoxTypeProvider>();
    raw.addContentTypeParser("text/plain", { parseAs: "buffer" }, (_req, body, done) => {
      try {
        done(null, new TextDecoder("utf-8", { fatal: true }).decode(body as Buffer));
      } catch {
        done(new AppError("bad_request", "the file is not UTF-8 text"), undefined);
      }
    });
    raw.post(
      "/api/v1/clusters/:cluster/configs/import",
      {
        config: { role: "operator" },
        schema: {
          tags,
          summary: "Import an existing haproxy.cfg as a new version (body: the file, text/plain)",
          params,
          querystring: Type.Object({ baseVersion: BaseVersion, message: Type.Optional(Message) }, { additionalProperties: false }),
          consumes: ["text/plain"],
          body: Content,
          response: responses({ 200: Type.Ref("ConfigSaveResult"), 201: Type.Ref("ConfigSaveResult") }),
        },
      },
      async (request, reply) => {
        const result = await configs.save(contextOf(request), request.params.cluster, {
          content: request.body,
          message: request.query.message ?? "imported from an existing file",
          baseVersion: request.query.baseVersion,
          source: "import",
        });
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );
  });

  app.post(
    "/api/v1/clusters/:cluster/configs/validate",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "Check a config without saving it",
        params,
        body: Type.Object({ content: Content }, { additionalProperties: false }),
        response: responses({ 200: Type.Ref("ConfigValidation") }),
      },
    },
    async (request) => configs.validate(request.body.content),
  );

  app.get(
    "/api/v1/clusters/:cluster/configs/diff",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "Unified diff and structured summary between two versions",
        params,
        querystring: Type.Object({ from: VersionRef, to: VersionRef }, { additionalProperties: false }),
        response: responses({ 200: Type.Ref("ConfigDiff") }),
      },
    },
    async (request) => configs.diff(request.params.cluster, parseVersion(request.query.from), parseVersion(request.query.to)),
  );

  app.get(
    "/api/v1/clusters/:cluster/configs/:version",
    {
      config: { role: "viewer" },
      schema: {
        tags,
        summary: "One config version with its content",
        params: Type.Object({ cluster: Ref, version: VersionRef }),
        response: responses({ 200: Type.Ref("ConfigVersionDetail") }),
      },
    },
    async (request) => configs.version(request.params.cluster, parseVersion(request.params.version)),
  );
}
