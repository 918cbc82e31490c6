import { PlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { describeError, toastError } from "@/api/errors";
import { Field } from "@/components/field";
import { RoleButton } from "@/components/role-button";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useCreateCluster } from "./cluster-queries";

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** "New cluster": a name (a DNS label, as the API requires) and a description. */
export function CreateClusterDialog() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [nameError, setNameError] = useState<string>();
  const create = useCreateCluster();
  const navigate = useNavigate();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!NAME_PATTERN.test(name)) {
      setNameError("Lower-case letters, digits and dashes; starts and ends with a letter or digit; at most 63.");
      return;
    }
    try {
      const cluster = await create.mutateAsync({ name, description });
      setOpen(false);
      setName("");
      setDescription("");
      navigate(`/clusters/${cluster.name}`);
    } catch (err) {
      const view = describeError(err);
      if (view.code === "conflict" || view.code === "bad_request") setNameError(`${view.message} (request id ${view.requestId})`);
      else toastError(err, "Could not create the cluster");
    }
  }

  return (
    <>
      <RoleButton role="operator" onClick={() => setOpen(true)}>
        <PlusIcon /> New cluster
      </RoleButton>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <form onSubmit={submit} className="flex flex-col gap-4">
            <DialogHeader>
              <DialogTitle>New cluster</DialogTitle>
              <DialogDescription>A group of HAProxy nodes that run the same configuration.</DialogDescription>
            </DialogHeader>
            <Field label="Name" hint="Lower-case letters, digits and dashes, e.g. edge-prod." error={nameError}>
              <Input
                value={name}
                autoFocus
                onChange={(e) => {
                  setName(e.target.value);
                  setNameError(undefined);
                }}
              />
            </Field>
            <Field label="Description" hint="Optional.">
              <Textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
            </Field>
            <DialogFooter>
              <Button variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!name || create.isPending}>
                Create cluster
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
