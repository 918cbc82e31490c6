/** A cluster as the API shows it. */
export interface ClusterView {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  /** The newest config version (0 when there is none). */
  latestVersion: number;
  /** What its nodes should run: the version of the last deployment that completed (null: none yet). */
  desiredVersion: number | null;
  nodeCount: number;
}

export const CLUSTER_NAME_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path segment names a cluster by id or by name. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
