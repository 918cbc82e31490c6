/** The fields of an audit record the details column is made of. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetName: string | null;
  targetId: string | null;
  summary: { before?: unknown; after?: unknown };
}

const MAX_DETAILS = 100;

/** The target column: "cluster edge", "user alice", or the type alone. */
export function auditTarget(entry: AuditEntry): string {
  const name = entry.targetName ?? (entry.targetId ? shortId(entry.targetId) : "");
  return name ? `${entry.targetType} ${name}` : entry.targetType;
}

/**
 * The details column: what the action changed, in one short line. Config saves read like a commit
 * ("v4 +3 -1 "move vault to new hosts""); other actions list the fields of `after`, with
 * "field: old→new" where `before` had a different value.
 */
export function auditDetails(entry: AuditEntry): string {
  const after = asRecord(entry.summary.after);
  const before = asRecord(entry.summary.before);
  if ((entry.action === "config.create" || entry.action === "config.import") && after) {
    const lines = asRecord(after["lines"]);
    const counts = lines ? ` +${String(lines["added"] ?? 0)} -${String(lines["removed"] ?? 0)}` : "";
    const message = typeof after["message"] === "string" ? ` ${JSON.stringify(after["message"])}` : "";
    return cut(`v${String(after["version"])}${counts}${message}`);
  }
  if (!after) return before ? cut(fields(before)) : "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (before && key in before) {
      if (!same(before[key], value)) parts.push(`${key}: ${show(before[key])}→${show(value)}`);
    } else if (value !== null && value !== undefined) {
      parts.push(`${key}=${show(value)}`);
    }
  }
  return cut(parts.join(" "));
}

function fields(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(" ");
}

function show(value: unknown): string {
  if (typeof value === "string") return /^[\w.:@/+-]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? "null";
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function cut(text: string): string {
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS - 1)}…` : text;
}

/** The first 8 characters of a UUID, as people quote them. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-/.test(id) ? id.slice(0, 8) : id;
}
