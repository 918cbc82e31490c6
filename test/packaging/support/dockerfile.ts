import { readFileSync } from "node:fs";

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  line: number;
  keyword: string;
  /** Everything after the keyword. */
  rest: string;
  /** `--name=value` flags at the start (COPY --from=…, RUN --mount=…). */
  flags: Record<string, string>;
  /** The arguments after the flags: a JSON array's items, or the words of the shell form. */
  args: string[];
  /** True when written in JSON (exec) form. */
  json: boolean;
}

export interface Stage {
  name: string;
  /** FROM's image with ARG defaults substituted. */
  image: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  file: string;
  /** ARG defaults declared before the first FROM. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** Splits `a "b c" 'd'` like a shell would for simple words (no expansions). */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    return name in vars ? vars[name]! : all;
  });
}

/** Parses a Dockerfile into stages (enough of the syntax for the files of this repository). */
export function parseDockerfile(file: string): Dockerfile {
  const lines = readFileSync(file, "utf8").split("\n");
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) continue;
    while (text.endsWith("\\") && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue; // comment lines inside a continuation are dropped
      text = text.slice(0, -1) + " " + next.trim();
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(text);
    if (!m) throw new Error(`${file}:${start + 1}: cannot parse ${JSON.stringify(text)}`);
    const keyword = m[1]!.toUpperCase();
    let rest = m[2]!.trim();
    const flags: Record<string, string> = {};
    let fm: RegExpExecArray | null;
    while ((fm = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(rest))) {
      flags[fm[1]!] = fm[2] ?? "true";
      rest = rest.slice(fm[0].length);
    }
    const json = rest.startsWith("[");
    const args = json ? (JSON.parse(rest) as string[]) : words(rest);
    instructions.push({ line: start + 1, keyword, rest, flags, args, json });
  }

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const [image, as, name] = ins.args;
      if (as && as.toUpperCase() !== "AS") throw new Error(`${file}:${ins.line}: FROM … AS name expected`);
      stages.push({ name: name ?? String(stages.length), image: substitute(image!, globalArgs), instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== "ARG") throw new Error(`${file}:${ins.line}: only ARG may come before FROM`);
      const [k, ...v] = ins.rest.split("=");
      globalArgs[k!.trim()] = v.join("=").trim();
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { file, globalArgs, stages };
}

export function stage(df: Dockerfile, name: string): Stage {
  const s = df.stages.find((x) => x.name === name);
  if (!s) throw new Error(`${df.file} has no stage ${name}`);
  return s;
}

export function last<K extends string>(s: Stage, keyword: K): Instruction | undefined {
  return s.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** ENV of a stage as a map (both `ENV A=1 B=2` and `ENV A 1`). */
export function env(s: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ins of s.instructions.filter((i) => i.keyword === "ENV")) {
    if (ins.args.every((a) => a.includes("="))) {
      for (const a of ins.args) {
        const i = a.indexOf("=");
        out[a.slice(0, i)] = a.slice(i + 1);
      }
    } else {
      out[ins.args[0]!] = ins.args.slice(1).join(" ");
    }
  }
  return out;
}

/** The working directory in effect at the end of a stage. */
export function workdir(s: Stage): string {
  return last(s, "WORKDIR")?.args[0] ?? "/";
}

/** COPY sources and destination (`COPY a b dest/`). */
export function copyParts(ins: Instruction): { sources: string[]; dest: string; from?: string } {
  const sources = ins.args.slice(0, -1);
  const dest = ins.args.at(-1)!;
  return { sources, dest, ...(ins.flags.from ? { from: ins.flags.from } : {}) };
}
