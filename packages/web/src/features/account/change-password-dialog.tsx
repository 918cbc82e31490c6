import { unwrap } from "@ha-master/api-client";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { useApi, useSessionManager } from "@/api/api-context";
import { describeError } from "@/api/errors";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";

const MIN_LENGTH = 12;

/**
 * Changes the signed-in user's own password. The master ends every session of the user, this
 * one too, so the console logs out and asks for the new password.
 */
export function ChangePasswordDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const api = useApi();
  const session = useSessionManager();
  const navigate = useNavigate();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [errors, setErrors] = useState<{ current?: string; next?: string; again?: string; other?: string }>({});
  const [busy, setBusy] = useState(false);

  function reset(open: boolean) {
    if (!open) {
      setCurrent("");
      setNext("");
      setAgain("");
      setErrors({});
    }
    onOpenChange(open);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next.length < MIN_LENGTH) return setErrors({ next: `At least ${MIN_LENGTH} characters.` });
    if (next !== again) return setErrors({ again: "The two new passwords differ." });
    setBusy(true);
    try {
      unwrap(await api.POST("/api/v1/users/me/password", { body: { currentPassword: current, newPassword: next } }));
      reset(false);
      await session.logout();
      toast.success("Password changed. Every session of yours has ended: log in with the new password.");
      navigate("/login", { replace: true });
    } catch (err) {
      const view = describeError(err);
      const text = `${view.message.replace(/^(currentPassword|newPassword): /, "")} (request id ${view.requestId ?? "none"})`;
      if (/^currentPassword/.test(view.message)) setErrors({ current: text });
      else if (/^newPassword/.test(view.message)) setErrors({ next: text });
      else setErrors({ other: text });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogContent>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <DialogHeader>
            <DialogTitle>Change your password</DialogTitle>
            <DialogDescription>Every session of yours ends, this one too: you log in again with the new password.</DialogDescription>
          </DialogHeader>
          <Field label="Current password" error={errors.current}>
            <Input type="password" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} />
          </Field>
          <Field label="New password" hint={`${MIN_LENGTH} characters or more.`} error={errors.next}>
            <Input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          </Field>
          <Field label="New password again" error={errors.again}>
            <Input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
          </Field>
          {errors.other && (
            <p role="alert" className="text-sm text-destructive">
              {errors.other}
            </p>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => reset(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!current || !next || !again || busy}>
              Change password
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
