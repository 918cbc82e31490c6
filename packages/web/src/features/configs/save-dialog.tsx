import { type FormEvent } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/textarea";

/** Asks why: every version carries a message, like a commit. */
export function SaveDialog({
  open,
  onOpenChange,
  baseVersion,
  message,
  onMessageChange,
  pending,
  onSave,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  baseVersion: number;
  message: string;
  onMessageChange: (message: string) => void;
  pending: boolean;
  onSave: () => void;
}) {
  function submit(event: FormEvent) {
    event.preventDefault();
    if (message.trim()) onSave();
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <DialogHeader>
            <DialogTitle>Save a new version</DialogTitle>
            <DialogDescription>
              {baseVersion > 0 ? `It will follow version ${baseVersion}.` : "It will be this cluster's first version."} Saving does not
              deploy it.
            </DialogDescription>
          </DialogHeader>
          <Field label="Message" hint="What changed and why, for the history and the audit log.">
            <Textarea
              value={message}
              autoFocus
              rows={3}
              maxLength={1000}
              onChange={(e) => onMessageChange(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) submit(e);
              }}
            />
          </Field>
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!message.trim() || pending}>
              {pending ? "Saving…" : "Save version"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
