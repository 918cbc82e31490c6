import { adviseConfig, BUNDLE_CONFIG_PATH, lintConfig, parseConfig, type HaproxyMessage } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import type { Keyring } from "../crypto/secret-box.js";
import { buildBundle } from "../bundles/bundle-builder.js";
import type { HaproxyChecker } from "./haproxy-check.js";
import { standInEnvironment, variablesOf } from "./node-variables.js";
import type { ConfigProblem, ValidationResult } from "./configs-types.js";

const CACHE_SIZE = 256;

// Failures that say more about the master than about the config: the nodes check these.
const NODE_ONLY = [
  { test: /could not resolve address|failed to initialize server\(s\) addr/i, why: "name resolution on the master differs from the nodes'" },
  {
    // Bundle paths are relative (the scratch directory is cut from messages): an absolute path is a node's own file.
    test: /(no such file|unable to (stat|load|open|read)|cannot open|can't open|error opening)[^']*'\/|'\/[^']+'.*(no such file|unable to (stat|load|open|read)|cannot open|can't open)/i,
    why: "the file lives on the nodes, outside the bundle",
  },
];


/**
 * Validates a config before it is stored: HA-Master's parser and linter first (structure, line
 * numbers, in microseconds, and advice such as reload-safe keep-alive handling), then the bundle (every referenced certificate stored), then, when a
 * HAProxy binary is installed on the master, `haproxy -c` on the exact bundle. Results are cached
 * by bundle hash, so Validate-then-Save checks once.
 */
export function configValidatorFactory(deps: { store: { readonly db: Db }; keyring: Keyring; checker: HaproxyChecker | null }) {
  const cache = new Map<string, ValidationResult>();

  function remember(key: string, result: ValidationResult): ValidationResult {
    cache.set(key, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return result;
  }

  return {
    async validate(content: string): Promise<ValidationResult> {
      const parsed = parseConfig(content);
      // What HAProxy would say, then HA-Master's own advice for configs it deploys (warnings).
      const diagnostics = [...lintConfig(parsed), ...adviseConfig(parsed)];
      const problems: ConfigProblem[] = diagnostics.map((d) => ({
        line: d.line,
        severity: d.severity,
        source: "parser",
        message: d.message,
        code: d.code,
      }));
      const bundle = await buildBundle(deps.store.db, deps.keyring, content);
      for (const m of bundle.missing) {
        problems.push({
          line: m.lines[0] ?? null,
          severity: "error",
          source: "bundle",
          code: "missing-certificate",
          message: `certificate ${JSON.stringify(m.name)} is not stored in HA-Master (referenced as certs/${m.name}.pem); upload it under Certificates first`,
        });
      }
      const version = (await deps.checker?.version()) ?? null;
      if (problems.some((p) => p.severity === "error")) {
        return result(problems, { checked: false, version, note: "haproxy -c was not run: fix the errors above first" });
      }
      if (!deps.checker || version === null) {
        return result(problems, { checked: false, version: null, note: "no HAProxy binary on the master: only HA-Master's parser checked this config; the nodes will run haproxy -c" });
      }
      const cached = cache.get(bundle.hash);
      if (cached) return cached;
      // Stand-ins for the nodes' own variables, so HAProxy checks the whole config, not up to the first of them.
      const env = standInEnvironment(content);
      const check = await deps.checker.check(bundle.files, env);
      const lines = content.split("\n");
      problems.push(...check.messages.map((m) => fromHaproxy(m, check.dir, (n) => lines[n - 1])));
      const names = Object.keys(env).map((n) => `\${${n}}`);
      const note =
        names.length > 0
          ? `checked with stand-in values for ${names.join(", ")}: each node's environment sets them, and each node checks the config again with its own values`
          : undefined;
      return remember(bundle.hash, result(problems, { checked: true, version, ...(note ? { note } : {}) }));
    },
  };
}

export type ConfigValidator = ReturnType<typeof configValidatorFactory>;

function result(problems: ConfigProblem[], haproxy: ValidationResult["haproxy"]): ValidationResult {
  const errors = problems.filter((p) => p.severity === "error");
  return { valid: errors.length === 0, errors, warnings: problems.filter((p) => p.severity === "warning"), haproxy };
}

function fromHaproxy(message: HaproxyMessage, dir: string, configLine: (n: number) => string | undefined): ConfigProblem {
  const inConfig = message.file !== undefined && message.file.replace(`${dir}/`, "") === BUNDLE_CONFIG_PATH;
  const text = message.message.replaceAll(`${dir}/`, "");
  if (message.severity === "alert") {
    const variables = inConfig && message.line ? variablesOf(configLine(message.line)) : [];
    const nodeOnly =
      variables.length > 0
        ? { why: `the line uses ${variables.map((v) => `\${${v}}`).join(", ")}, which the nodes' environment defines` }
        : NODE_ONLY.find((n) => n.test.test(text));
    if (nodeOnly) {
      return { line: inConfig ? message.line! : null, severity: "warning", source: "haproxy", message: `not verifiable on the master (${nodeOnly.why}): ${text}` };
    }
  }
  return {
    line: inConfig ? (message.line ?? null) : null,
    severity: message.severity === "alert" ? "error" : "warning",
    source: "haproxy",
    message: message.file && !inConfig ? `${message.file.replace(`${dir}/`, "")}: ${text}` : text,
  };
}
