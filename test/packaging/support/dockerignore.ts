import { readFileSync } from "node:fs";
import { posix } from "node:path";

interface Rule {
  negate: boolean;
  re: RegExp;
  pattern: string;
}

/** A pattern of .dockerignore as a regular expression (Go filepath.Match plus `**`, as BuildKit does). */
function compile(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        i++;
        re += "(?:.*/)?";
      } else {
        re += ".*";
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i);
      re += pattern.slice(i, end + 1).replace("[!", "[^");
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * The build context's filter: which paths (relative to the context, with /) `docker build`
 * leaves out. The last matching rule wins; a rule that matches a directory covers its contents.
 */
export class DockerIgnore {
  readonly rules: Rule[];

  constructor(file: string) {
    this.rules = readFileSync(file, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map((l) => {
        const negate = l.startsWith("!");
        const pattern = posix.normalize((negate ? l.slice(1) : l).trim()).replace(/^\/+/, "").replace(/\/+$/, "");
        return { negate, re: compile(pattern), pattern };
      });
  }

  /** True when `path` (or a directory above it) is excluded from the context. */
  excludes(path: string): boolean {
    const parts = posix.normalize(path).replace(/^\.\//, "").split("/");
    let excluded = false;
    for (const rule of this.rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (rule.re.test(parts.slice(0, n).join("/"))) {
          excluded = !rule.negate;
          break;
        }
      }
    }
    return excluded;
  }
}
