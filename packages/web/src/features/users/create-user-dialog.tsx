import { UserPlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { describeError, toastError } from "@/api/errors";
import type { Role } from "@/auth/roles";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { useCreateUser } from "./user-queries";
import { ROLE_DESCRIPTIONS, ROLES } from "./roles-text";

export function CreateUserDialog() {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [problem, setProblem] = useState<string>();
  const create = useCreateUser();

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setUsername("");
      setPassword("");
      setRole("viewer");
      setProblem(undefined);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const user = await create.mutateAsync({ username, password, role });
      toast.success(`User ${user.username} created`);
      reset(false);
    } catch (err) {
      const view = describeError(err);
      if (view.status >= 400 && view.status < 500) setProblem(`${view.message} (request id ${view.requestId ?? "none"})`);
      else toastError(err, "Could not create the user");
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <UserPlusIcon /> New user
      </Button>
      <Dialog open={open} onOpenChange={reset}>
        <DialogContent>
          <form onSubmit={submit} className="flex flex-col gap-4">
            <DialogHeader>
              <DialogTitle>New user</DialogTitle>
              <DialogDescription>Give them the password through a safe channel; they cannot change it themselves yet.</DialogDescription>
            </DialogHeader>
            <Field label="Username" hint="Letters, digits, . _ @ -">
              <Input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" autoFocus />
            </Field>
            <Field label="Password" hint="At least 12 characters.">
              <Input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" minLength={12} />
            </Field>
            <Field label="Role" hint={ROLE_DESCRIPTIONS[role]}>
              <NativeSelect value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            {problem && (
              <p role="alert" className="text-sm text-destructive">
                {problem}
              </p>
            )}
            <DialogFooter>
              <Button variant="outline" onClick={() => reset(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!username || password.length < 12 || create.isPending}>
                Create user
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
