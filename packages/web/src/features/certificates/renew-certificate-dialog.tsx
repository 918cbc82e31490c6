import { RefreshCwIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { describeError, toastError } from "@/api/errors";
import { RoleButton } from "@/components/role-button";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { useRenewCertificate } from "./certificate-queries";
import { CertificatePemFields, EMPTY_PEM, type PemInput } from "./certificate-form";

/** Replace a certificate and its key under the same name; configs keep referencing it unchanged. */
export function RenewCertificateDialog({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const [pem, setPem] = useState<PemInput>(EMPTY_PEM);
  const [problem, setProblem] = useState<string>();
  const renew = useRenewCertificate(name);

  function reset(nextOpen: boolean) {
    setOpen(nextOpen);
    if (!nextOpen) {
      setPem(EMPTY_PEM);
      setProblem(undefined);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await renew.mutateAsync({ certPem: pem.certPem, keyPem: pem.keyPem });
      toast.success(`${name} renewed; deploy a config to send it to the nodes`);
      reset(false);
    } catch (err) {
      const view = describeError(err);
      if (view.status >= 400 && view.status < 500) setProblem(`${view.message} (request id ${view.requestId ?? "none"})`);
      else toastError(err, "Could not renew the certificate");
    }
  }

  return (
    <>
      <RoleButton role="admin" variant="outline" onClick={() => setOpen(true)}>
        <RefreshCwIcon /> Renew
      </RoleButton>
      <Dialog open={open} onOpenChange={reset}>
        <DialogContent className="sm:max-w-xl">
          <form onSubmit={submit} className="flex flex-col gap-4">
            <DialogHeader>
              <DialogTitle>Renew {name}</DialogTitle>
              <DialogDescription>The new certificate and key replace the old ones under the same name.</DialogDescription>
            </DialogHeader>
            <CertificatePemFields value={pem} onChange={setPem} />
            {problem && (
              <p role="alert" className="text-sm text-destructive">
                {problem}
              </p>
            )}
            <DialogFooter>
              <Button variant="outline" onClick={() => reset(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!pem.certPem || !pem.keyPem || renew.isPending}>
                {renew.isPending ? "Renewing…" : "Renew"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
