/** One backend server (or a backend's aggregate row, server "BACKEND") from `show stat`. */
export interface ServerStat {
  proxy: string;
  server: string;
  status: string;
  weight: number;
  checkStatus: string;
  currentSessions: number;
}

/**
 * Parses the CSV of HAProxy's `show stat` into backend rows. Frontends are left out: the
 * heartbeat reports the state of servers, and a frontend has none. Columns are found by
 * the header's names, not positions, so a version that adds columns does not break this.
 */
export function parseShowStat(csv: string): ServerStat[] {
  const lines = csv.split("\n").filter((l) => l.trim() !== "");
  const header = lines.find((l) => l.startsWith("# "));
  if (!header) return [];
  const cols = header.slice(2).split(",");
  const at = (name: string) => cols.indexOf(name);
  const idx = {
    px: at("pxname"),
    sv: at("svname"),
    status: at("status"),
    weight: at("weight"),
    check: at("check_status"),
    scur: at("scur"),
  };
  if (idx.px < 0 || idx.sv < 0) return [];
  const out: ServerStat[] = [];
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    const f = line.split(",");
    const server = f[idx.sv] ?? "";
    if (server === "FRONTEND" || server === "") continue;
    out.push({
      proxy: f[idx.px] ?? "",
      server,
      status: f[idx.status] ?? "",
      weight: Number(f[idx.weight] ?? 0) || 0,
      checkStatus: f[idx.check] ?? "",
      currentSessions: Number(f[idx.scur] ?? 0) || 0,
    });
  }
  return out;
}
