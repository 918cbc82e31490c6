/** One message HAProxy printed while checking or starting a configuration. */
export interface HaproxyMessage {
  severity: "alert" | "warning" | "notice";
  /** The file named in the message, as HAProxy printed it. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** The message without HAProxy's prefix; continuation lines are appended after a newline. */
  message: string;
}

const HEAD = /^\[(ALERT|WARNING|NOTICE)\]\s+(?:\(\d+\)\s+)?:\s*(?:config\s*:\s*)?(.*)$/;
// "parsing [file:12] : msg", "parsing [file:12]: msg", "[file:12] : msg"
const LOCATION = /^(?:parsing\s+)?\[([^\]\n]+?):(\d+)\]\s*:?\s*(.*)$/i;

// Lines HAProxy prints on every run; they say nothing about the configuration.
const NOISE = [/^haproxy version is /, /^path to executable is /];
// Status lines `haproxy -c` prints on its own (stdout), with no prefix.
const STATUS = [/^Configuration file is valid$/, /^Warnings were found\.?$/];
// Summary lines that repeat what the messages before them said.
const SUMMARY = [/^Error\(s\) found in configuration file/, /^Fatal errors found in configuration/];

/**
 * Parses what `haproxy -c` (or a failed start) wrote to stderr into messages with file and
 * line. Unrecognised lines are kept as continuations of the message before them, so nothing
 * HAProxy said is lost.
 */
export function parseHaproxyOutput(output: string): HaproxyMessage[] {
  const messages: HaproxyMessage[] = [];
  let last: HaproxyMessage | undefined;
  for (const raw of output.split(/\r?\n/)) {
    if (raw.trim() === "" || STATUS.some((re) => re.test(raw.trim()))) continue;
    const head = HEAD.exec(raw);
    if (!head) {
      if (last) last.message += `\n${raw}`;
      else messages.push((last = { severity: "alert", message: raw.trim() }));
      continue;
    }
    const severity = head[1]!.toLowerCase() as HaproxyMessage["severity"];
    const text = head[2]!.trim();
    if (NOISE.some((re) => re.test(text)) || SUMMARY.some((re) => re.test(text))) {
      last = undefined;
      continue;
    }
    const loc = LOCATION.exec(text);
    last = loc
      ? { severity, file: loc[1]!, line: Number(loc[2]), message: loc[3]!.trim() }
      : { severity, message: text };
    messages.push(last);
  }
  return messages;
}

/** The alerts and warnings only, which are what a caller reports. */
export function haproxyProblems(output: string): HaproxyMessage[] {
  return parseHaproxyOutput(output).filter((m) => m.severity !== "notice");
}
