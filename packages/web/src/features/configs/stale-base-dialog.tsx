import { GitMergeIcon, GitPullRequestArrowIcon } from "lucide-react";
import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { ConfigVersionDetail, StaleBaseDetails } from "./config-queries";
import { rebaseEdits, unifiedDiff } from "./rebase";
import { UnifiedDiffView } from "./unified-diff-view";

export interface StaleBase {
  details: StaleBaseDetails;
  /** The version that was saved first, with its content. */
  theirs: ConfigVersionDetail;
  requestId: string | undefined;
}

/**
 * Someone saved a version while this user was editing. Shows both changes and lets the user
 * re-apply their edits on top (when the two do not overlap) or merge by hand; nothing is
 * overwritten without the user seeing the other change.
 */
export function StaleBaseDialog({
  stale,
  baseContent,
  draft,
  onRebased,
  onMergeByHand,
  onCancel,
}: {
  stale: StaleBase;
  baseContent: string;
  draft: string;
  onRebased: (text: string) => void;
  onMergeByHand: () => void;
  onCancel: () => void;
}) {
  const { details, theirs } = stale;
  const theirChange = useMemo(
    () => unifiedDiff(`version ${details.baseVersion}`, baseContent, `version ${theirs.version}`, theirs.content),
    [details.baseVersion, baseContent, theirs],
  );
  const yourChange = useMemo(() => unifiedDiff(`version ${details.baseVersion}`, baseContent, "your edits", draft), [details.baseVersion, baseContent, draft]);
  const rebase = useMemo(() => rebaseEdits(baseContent, draft, theirs.content), [baseContent, draft, theirs.content]);
  const between = theirs.version - details.baseVersion;

  return (
    <Dialog open onOpenChange={(open) => !open && onCancel()}>
      <DialogContent className="sm:max-w-4xl" data-testid="stale-base-dialog">
        <DialogHeader>
          <DialogTitle>Someone else saved first</DialogTitle>
          <DialogDescription asChild>
            <div>
              <p>
                You were editing version {details.baseVersion}. Version {details.currentVersion} was saved since by{" "}
                <strong className="text-foreground">{details.currentAuthor}</strong>: “{details.currentMessage}”
                {between > 1 && ` (${between} versions since yours)`}. Nothing of yours was saved and nothing of theirs was overwritten.
              </p>
              <p className="mt-1 font-mono text-xs">Request id: {stale.requestId ?? "none"}</p>
            </div>
          </DialogDescription>
        </DialogHeader>
        <Tabs defaultValue="theirs" className="flex flex-col gap-2">
          <TabsList>
            <TabsTrigger value="theirs">
              Their change (v{details.baseVersion} → v{theirs.version})
            </TabsTrigger>
            <TabsTrigger value="yours">Your change</TabsTrigger>
          </TabsList>
          <TabsContent value="theirs">
            <UnifiedDiffView diff={theirChange} label={`Changes from version ${details.baseVersion} to ${theirs.version}`} />
          </TabsContent>
          <TabsContent value="yours">
            <UnifiedDiffView diff={yourChange} label="Your edits" />
          </TabsContent>
        </Tabs>
        <p className="text-sm" role="status">
          {rebase.clean
            ? `Your edits and theirs touch different lines: they can be re-applied on top of version ${theirs.version}.`
            : "Your edits and theirs change the same lines: merge them by hand, side by side."}
        </p>
        <DialogFooter>
          <Button variant="outline" onClick={onCancel}>
            Keep editing
          </Button>
          <Button variant={rebase.clean ? "outline" : "default"} onClick={onMergeByHand}>
            <GitMergeIcon /> Start from v{theirs.version}, compare with mine
          </Button>
          {rebase.clean && (
            <Button onClick={() => onRebased(rebase.text)}>
              <GitPullRequestArrowIcon /> Re-apply my edits on v{theirs.version}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
