import { lintCertificatePaths } from "./lint-certificates.js";
import { createLintContext, type LintRule } from "./lint-context.js";
import { lintDefaultsUse } from "./lint-defaults.js";
import { lintKeywords } from "./lint-keywords.js";
import { lintBackendReferences, lintMissingTimeouts, lintReloadResets } from "./lint-proxies.js";
import { lintDuplicates, lintSectionHeaders, lintServerAddresses } from "./lint-sections.js";
import { lintValues } from "./lint-values.js";
import type { Diagnostic, ParsedConfig } from "./types.js";

// Order does not matter for the result (diagnostics are sorted), only for reading.
const RULES: readonly LintRule[] = [
  lintSectionHeaders,
  lintKeywords,
  lintValues,
  lintDuplicates,
  lintServerAddresses,
  lintBackendReferences,
  lintMissingTimeouts,
  lintDefaultsUse,
  lintCertificatePaths,
];

/**
 * Checks a parsed configuration the way HAProxy 2.6 would, without running it: the parser's
 * syntax diagnostics first, then structure (sections, names, keywords for each section type,
 * duplicates, references between proxies, server addresses) and warnings about timeouts and
 * certificate paths. Sorted by line, then column. A configuration that `haproxy -c` accepts
 * yields no errors; warnings may remain.
 */
export function lintConfig(parsed: ParsedConfig): Diagnostic[] {
  const out: Diagnostic[] = [...parsed.diagnostics];
  const ctx = createLintContext(parsed, out);
  for (const rule of RULES) rule(ctx);
  return out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * Advice for configurations HA-Master deploys, beyond what HAProxy itself says: warnings only,
 * never errors (today: reloads resetting idle keep-alive connections). Kept apart from
 * lintConfig, which says exactly what HAProxy 2.6 would.
 */
export function adviseConfig(parsed: ParsedConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  lintReloadResets(createLintContext(parsed, out));
  return out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}
