/** One process line of the master CLI's `show proc`. */
export interface ProcEntry {
  pid: number;
  /** Reloads this process has survived (for the master: reloads since it started). */
  reloads: number;
  uptimeSeconds: number;
  version: string;
}

/** The master's `show proc` output, parsed. */
export interface ShowProc {
  master: ProcEntry & {
    /** Failed reloads as the master reports them (HAProxy 2.6 resets this to 0 after a good reload). */
    failed: number;
  };
  workers: ProcEntry[];
  oldWorkers: ProcEntry[];
}

const MASTER = /^(\d+)\s+master\s+(\d+)\s+\[failed:\s*(\d+)\]\s+(\S+)\s+(\S+)/;
const WORKER = /^(\d+)\s+worker\s+(\d+)\s+(\S+)\s+(\S+)/;
const UPTIME = /^(\d+)d(\d+)h(\d+)m(\d+)s$/;

/** Converts HAProxy's `0d00h01m02s` uptime to seconds (0 when it cannot be read). */
export function parseUptime(text: string): number {
  const m = UPTIME.exec(text);
  if (!m) return 0;
  return Number(m[1]) * 86_400 + Number(m[2]) * 3_600 + Number(m[3]) * 60 + Number(m[4]);
}

/**
 * Parses `show proc` from HAProxy 2.6's master CLI. Returns undefined when the text holds no
 * master line, which is what a master busy re-executing itself during a reload answers.
 */
export function parseShowProc(text: string): ShowProc | undefined {
  let master: ShowProc["master"] | undefined;
  const workers: ProcEntry[] = [];
  const oldWorkers: ProcEntry[] = [];
  let section: "head" | "workers" | "old" | "other" = "head";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      if (/^#\s*workers/.test(line)) section = "workers";
      else if (/^#\s*old workers/.test(line)) section = "old";
      else if (!line.startsWith("#<PID>")) section = "other";
      continue;
    }
    const m = MASTER.exec(line);
    if (m) {
      master = {
        pid: Number(m[1]),
        reloads: Number(m[2]),
        failed: Number(m[3]),
        uptimeSeconds: parseUptime(m[4]!),
        version: m[5]!,
      };
      continue;
    }
    const w = WORKER.exec(line);
    if (w && (section === "workers" || section === "old")) {
      const entry = { pid: Number(w[1]), reloads: Number(w[2]), uptimeSeconds: parseUptime(w[3]!), version: w[4]! };
      (section === "workers" ? workers : oldWorkers).push(entry);
    }
  }
  return master ? { master, workers, oldWorkers } : undefined;
}
