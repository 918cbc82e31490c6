import { applyPatch, createTwoFilesPatch, structuredPatch } from "diff";

export type RebaseResult = { clean: true; text: string } | { clean: false };

/**
 * Re-applies the user's edits (base → mine) on top of the version someone else saved (theirs),
 * like `git rebase`: hunk by hunk, each needing its unchanged context lines to still be there.
 * When the two changes touch the same lines the result is not clean and the user merges by hand.
 */
export function rebaseEdits(base: string, mine: string, theirs: string): RebaseResult {
  if (mine === base) return { clean: true, text: theirs };
  if (theirs === base) return { clean: true, text: mine };
  const patch = structuredPatch("base", "mine", base, mine, "", "", { context: 2 });
  const text = applyPatch(theirs, patch);
  return text === false ? { clean: false } : { clean: true, text };
}

/** A unified diff of two texts, for showing "your change" next to "their change". */
export function unifiedDiff(fromName: string, from: string, toName: string, to: string): string {
  return createTwoFilesPatch(fromName, toName, from, to, "", "", { context: 3 });
}
