/** ISO-8601 text of a timestamp, or null. */
export function iso(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
