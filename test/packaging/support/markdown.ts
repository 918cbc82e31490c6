import { readFileSync } from "node:fs";

/** A Markdown document, split the way the docs tests read it. */
export class MarkdownDoc {
  readonly text: string;

  constructor(readonly file: string) {
    this.text = readFileSync(file, "utf8");
  }

  /** Headings (text without the #s), in order. */
  headings(): string[] {
    return [...this.withoutCode().matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1]!);
  }

  /** GitHub's anchor for each heading. */
  anchors(): string[] {
    return this.headings().map(slug);
  }

  /** The text of the section under `heading` (up to the next heading of the same or a higher level). */
  section(heading: string): string {
    const lines = this.text.split("\n");
    let inCode = false;
    let start = -1;
    let level = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.startsWith("```")) inCode = !inCode;
      const m = !inCode && /^(#{1,6}) +(.+?) *$/.exec(line);
      if (!m) continue;
      if (start >= 0 && m[1]!.length <= level) return lines.slice(start, i).join("\n");
      if (start < 0 && m[2] === heading) {
        start = i;
        level = m[1]!.length;
      }
    }
    if (start < 0) throw new Error(`${this.file} has no section "${heading}"`);
    return lines.slice(start).join("\n");
  }

  /** The fenced code blocks of a text (default: the whole document), with their info string. */
  codeBlocks(text = this.text): { lang: string; code: string }[] {
    return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
  }

  /** Links `[text](target)`, outside code. */
  links(): string[] {
    return [...this.withoutCode().matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  }

  private withoutCode(): string {
    return this.text.replace(/^```[\s\S]*?^```$/gm, "");
  }
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}
