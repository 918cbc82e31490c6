/** One problem found in a config, at its line when it has one. */
export interface ConfigProblem {
  line: number | null;
  severity: "error" | "warning";
  /** Who found it: HA-Master's parser, the bundle builder, or HAProxy itself. */
  source: "parser" | "bundle" | "haproxy";
  message: string;
  code?: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
  haproxy: { checked: boolean; version: string | null; note?: string };
}

export interface ConfigVersionView {
  id: string;
  clusterId: string;
  version: number;
  hash: string;
  message: string;
  parentVersion: number | null;
  source: "api" | "import";
  author: string;
  createdAt: string;
  size: number;
}

export interface ConfigVersionDetail extends ConfigVersionView {
  content: string;
}

/** What saving a config answers: a new version, or the current one when nothing changed. */
export interface SaveResult extends ConfigVersionView {
  created: boolean;
  note?: string;
  warnings: ConfigProblem[];
}
