// HAProxy configuration handling shared by master, agent, CLI and web. Pure functions only.
export type { ConfigLine, ConfigSection, Diagnostic, LineKind, ParsedConfig, SectionType } from "./types.js";
export { parseConfig, serializeConfig, isSectionKeyword } from "./parse.js";
export { tokenizeLine, MAX_WORDS, type TokenizedLine } from "./tokenize.js";
export { adviseConfig, lintConfig } from "./lint.js";
export {
  summarizeConfig,
  certificateRefs,
  FILE_OPTIONS,
  type BackendSummary,
  type CertificateRef,
  type ConfigSummary,
  type FrontendSummary,
  type ServerSummary,
} from "./model.js";
export { diffConfigs, type ConfigDiff, type ConfigDiffSummary, type DiffLabels, type NameChanges } from "./diff.js";
export { levenshtein, suggest } from "./suggest.js";
export * from "./keywords.generated.js";
