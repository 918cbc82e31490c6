import { checkable, type LintContext } from "./lint-context.js";
import { certificateRefs } from "./model.js";
import type { ConfigLine } from "./types.js";

/** Where relative certificate paths resolve, as set in the global section. */
interface PathSettings {
  defaultPathConfig: boolean;
  crtBase?: string;
  caBase?: string;
}

// crt-base applies to certificates, ca-base to CA and CRL files.
const USES_CRT_BASE = new Set(["crt", "crt-list"]);
const USES_CA_BASE = new Set(["ca-file", "crl-file", "ca-verify-file"]);

function pathSettings(ctx: LintContext): PathSettings {
  const settings: PathSettings = { defaultPathConfig: false };
  for (const section of ctx.parsed.sections) {
    if (section.type !== "global") continue;
    for (const line of section.directives) {
      // The last occurrence wins, as HAProxy applies them in order.
      if (line.keyword === "default-path") settings.defaultPathConfig = line.args[0] === "config";
      if (line.keyword === "crt-base" && line.args[0] !== undefined) settings.crtBase = line.args[0];
      if (line.keyword === "ca-base" && line.args[0] !== undefined) settings.caBase = line.args[0];
    }
  }
  return settings;
}

/**
 * TLS file paths that will not resolve to the configuration bundle on a node: `certs/...`
 * paths need `default-path config` (otherwise they resolve against HAProxy's working
 * directory) and no `crt-base`/`ca-base` in the way; absolute `crt` paths name files outside
 * the bundle, which someone must place on every node by hand.
 */
export function lintCertificatePaths(ctx: LintContext): void {
  const settings = pathSettings(ctx);
  for (const ref of certificateRefs(ctx.parsed)) {
    const line: ConfigLine = ctx.parsed.lines[ref.line - 1]!;
    const { keyword, path } = ref;
    if (!checkable(ctx, line) || line.keyword === "ca-base" || line.keyword === "crt-base") continue;
    if (path.startsWith("@") || path.includes("$")) continue; // @system-ca, or resolved on the node
    const inBundle = path.startsWith("certs/") || path.startsWith("./certs/");
    const base = USES_CRT_BASE.has(keyword) ? settings.crtBase : USES_CA_BASE.has(keyword) ? settings.caBase : undefined;
    if (path.startsWith("/") && USES_CRT_BASE.has(keyword)) {
      ctx.report(
        line,
        "warning",
        "cert-path-absolute",
        `'${keyword} ${path}' is outside the configuration bundle: the file must be placed on every node by hand. Store the certificate and refer to it as 'certs/<name>.pem' to have it deployed with the configuration.`,
        ref.column,
      );
    } else if (inBundle && base !== undefined) {
      const baseKeyword = USES_CRT_BASE.has(keyword) ? "crt-base" : "ca-base";
      ctx.report(
        line,
        "warning",
        "cert-path-base",
        `'${keyword} ${path}' resolves under ${baseKeyword} '${base}', not in the configuration bundle. Remove '${baseKeyword}' to use the bundle's certs/ directory.`,
        ref.column,
      );
    } else if (inBundle && !settings.defaultPathConfig) {
      ctx.report(
        line,
        "warning",
        "cert-path-relative",
        `'${keyword} ${path}' is relative to the directory HAProxy was started from. Bundle files under certs/ resolve relative to the configuration only with 'default-path config' in the global section.`,
        ref.column,
      );
    }
  }
}
