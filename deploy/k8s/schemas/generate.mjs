#!/usr/bin/env node
// Regenerates deploy/k8s/schemas/kubernetes-strict.json: the JSON Schemas the packaging tests
// validate every rendered Kubernetes object against (test/packaging/kustomize.test.ts).
//
//   node deploy/k8s/schemas/generate.mjs            # fetches the two sources with npm (network)
//   node deploy/k8s/schemas/generate.mjs --from DIR # DIR/node_modules already holds them
//
// Sources (pinned; change SOURCES and rerun to move to another Kubernetes version):
// - kubernetes-types: TypeScript declarations generated from the Kubernetes OpenAPI document
//   of one release (1.30), one interface per definition, required fields non-optional.
// - @kubernetes-models/argo-cd: the same for Argo CD's CRDs (the Application kind).
// Why from TypeScript declarations: neither npm nor Debian ships Kubernetes' OpenAPI document or
// a JSON Schema set for it; these two packages carry the same definitions as plain data types.
// The TypeScript compiler (already a dev dependency) resolves them; this script walks the types.
//
// The result is *strict*: an object may only hold the fields its type declares (what
// `kubectl apply` does since 1.27 with server-side field validation), so a misspelt
// `readinessProbes:` fails the test instead of being dropped by the API server.
// Lost in the translation: integer vs number (both become "number") and OpenAPI formats.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ts = createRequire(join(here, "../../../package.json"))("typescript");
const OUT = join(here, "kubernetes-strict.json");
const SOURCES = { "kubernetes-types": "1.30.0", "@kubernetes-models/argo-cd": "2.7.2" };

/** Every kind a manifest under deploy/k8s may use: "apiVersion/Kind" -> [module, type]. */
const KINDS = {
  "v1/Namespace": ["kubernetes-types/core/v1", "Namespace"],
  "v1/ConfigMap": ["kubernetes-types/core/v1", "ConfigMap"],
  "v1/Secret": ["kubernetes-types/core/v1", "Secret"],
  "v1/Service": ["kubernetes-types/core/v1", "Service"],
  "v1/ServiceAccount": ["kubernetes-types/core/v1", "ServiceAccount"],
  "v1/PersistentVolumeClaim": ["kubernetes-types/core/v1", "PersistentVolumeClaim"],
  "apps/v1/Deployment": ["kubernetes-types/apps/v1", "Deployment"],
  "apps/v1/StatefulSet": ["kubernetes-types/apps/v1", "StatefulSet"],
  "batch/v1/CronJob": ["kubernetes-types/batch/v1", "CronJob"],
  "batch/v1/Job": ["kubernetes-types/batch/v1", "Job"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-types/policy/v1", "PodDisruptionBudget"],
  "networking.k8s.io/v1/NetworkPolicy": ["kubernetes-types/networking/v1", "NetworkPolicy"],
  "networking.k8s.io/v1/Ingress": ["kubernetes-types/networking/v1", "Ingress"],
  "argoproj.io/v1alpha1/Application": ["@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application", "IApplication"],
  "argoproj.io/v1alpha1/AppProject": ["@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject", "IAppProject"],
};

function sourcesDir() {
  const i = process.argv.indexOf("--from");
  if (i > 0) return { dir: process.argv[i + 1], cleanup() {} };
  const dir = mkdtempSync(join(tmpdir(), "k8s-schemas-"));
  writeFileSync(join(dir, "package.json"), '{"private":true}\n');
  const specs = Object.entries(SOURCES).map(([name, version]) => `${name}@${version}`);
  execFileSync("npm", ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", ...specs], { cwd: dir, stdio: "inherit" });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const src = sourcesDir();
const entry = join(src.dir, "roots.ts");
writeFileSync(
  entry,
  Object.entries(KINDS)
    .map(([, [mod, name]], i) => `import type { ${name} as T${i} } from "${mod}";`)
    .join("\n") +
    "\nexport interface Roots {\n" +
    Object.keys(KINDS).map((kind, i) => `  ${JSON.stringify(kind)}: T${i};`).join("\n") +
    "\n}\n",
);
const program = ts.createProgram([entry], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  skipLibCheck: true,
  types: [],
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
});
const checker = program.getTypeChecker();
const problems = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
if (problems.length > 0) {
  throw new Error(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
}

const definitions = {};

/** "core.v1.Container" for kubernetes-types; undefined (inline) for everything else. */
function definitionName(type) {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  if (symbol.name === "IObjectMeta") return "meta.v1.ObjectMeta"; // the same definition, from the Argo CD package
  const file = relative(join(src.dir, "node_modules", "kubernetes-types"), decl.getSourceFile().fileName);
  if (file.startsWith("..") || !ts.isInterfaceDeclaration(decl)) return undefined;
  return `${file.replace(/\.d\.ts$/, "").split(sep).join(".")}.${symbol.name}`;
}

function isQuantity(node) {
  return node && ts.isTypeReferenceNode(node) && node.typeName.getText() === "Quantity";
}

/** JSON Schema for a TypeScript type (`node` is the declared type, when there is one). */
function schemaOf(type, node) {
  // Quantity is `string` in the declarations, but the API accepts `cpu: 2` as well as `cpu: "2"`.
  if (isQuantity(node)) return { type: ["string", "number"] };
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
  if (type.flags & ts.TypeFlags.Boolean || type.flags & ts.TypeFlags.BooleanLiteral) return { type: "boolean" };
  if (type.flags & ts.TypeFlags.String) return { type: "string" };
  if (type.flags & ts.TypeFlags.Number) return { type: "number" };
  if (type.flags & ts.TypeFlags.StringLiteral) return { type: "string", enum: [type.value] };
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (members.length === 1) return schemaOf(members[0], node);
    if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral)) return { type: "string", enum: members.map((t) => t.value) };
    if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: "boolean" };
    const schemas = members.map((t) => schemaOf(t));
    const simple = schemas.every((s) => typeof s.type === "string" && Object.keys(s).length === 1);
    return simple ? { type: [...new Set(schemas.map((s) => s.type))] } : { anyOf: schemas };
  }
  if (checker.isArrayType(type)) {
    const [item] = checker.getTypeArguments(type);
    const itemNode = node && ts.isTypeReferenceNode(node) ? node.typeArguments?.[0] : node && ts.isArrayTypeNode(node) ? node.elementType : undefined;
    return { type: "array", items: schemaOf(item, itemNode) };
  }
  if (type.flags & ts.TypeFlags.Object) {
    const name = definitionName(type);
    if (!name) return objectSchema(type);
    if (!(name in definitions)) {
      definitions[name] = {}; // placeholder: breaks cycles
      definitions[name] = objectSchema(type);
    }
    return { $ref: `#/definitions/${name}` };
  }
  throw new Error(`unsupported type ${checker.typeToString(type)}`);
}

function objectSchema(type) {
  const properties = {};
  const required = [];
  for (const prop of checker.getPropertiesOfType(type)) {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    properties[prop.name] = schemaOf(checker.getTypeOfSymbolAtLocation(prop, decl), decl?.type);
    if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
  }
  const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
  const schema = { type: "object" };
  if (Object.keys(properties).length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required.sort();
  if (index) schema.additionalProperties = schemaOf(index.type, index.declaration?.type);
  // An empty declaration (RawExtension, preserve-unknown-fields) holds anything.
  else if (Object.keys(properties).length > 0) schema.additionalProperties = false;
  return schema;
}

const rootsSymbol = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry))).find((s) => s.name === "Roots");
const kinds = {};
for (const prop of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(rootsSymbol))) {
  let schema = schemaOf(checker.getTypeOfSymbolAtLocation(prop, prop.valueDeclaration));
  if (!schema.$ref) {
    // Inline roots (the Argo CD kinds) get a definition named after their kind.
    const name = prop.name.replaceAll("/", ".");
    definitions[name] = schema;
    schema = { $ref: `#/definitions/${name}` };
  }
  if (!definitions[schema.$ref.slice("#/definitions/".length)].properties?.apiVersion) throw new Error(`${prop.name} has no apiVersion`);
  // kubernetes-types marks apiVersion and kind optional; in a manifest they are what picks the schema.
  kinds[prop.name] = { allOf: [schema, { required: ["apiVersion", "kind"] }] };
}
src.cleanup();

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  return value;
}

mkdirSync(here, { recursive: true });
writeFileSync(
  OUT,
  JSON.stringify(
    {
      $schema: "http://json-schema.org/draft-07/schema#",
      $comment: `Generated by deploy/k8s/schemas/generate.mjs from ${Object.entries(SOURCES).map(([n, v]) => `${n}@${v}`).join(" and ")}. Do not edit.`,
      kinds: sorted(kinds),
      definitions: sorted(definitions),
    },
    null,
    1,
  ) + "\n",
);
console.log(`${relative(process.cwd(), OUT)}: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions`);
