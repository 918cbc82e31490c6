import { UploadIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { describeError, toastError } from "@/api/errors";
import { Field } from "@/components/field";
import { RoleButton } from "@/components/role-button";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { useUploadCertificate } from "./certificate-queries";
import { CertificatePemFields, EMPTY_PEM, type PemInput } from "./certificate-form";

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

export function UploadCertificateDialog() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [pem, setPem] = useState<PemInput>(EMPTY_PEM);
  const [problem, setProblem] = useState<string>();
  const upload = useUploadCertificate();
  const navigate = useNavigate();

  function reset(nextOpen: boolean) {
    setOpen(nextOpen);
    if (!nextOpen) {
      setName("");
      setPem(EMPTY_PEM);
      setProblem(undefined);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!NAME_PATTERN.test(name)) return setProblem("The name may hold letters, digits, dots, dashes and underscores.");
    try {
      const cert = await upload.mutateAsync({ name, certPem: pem.certPem, keyPem: pem.keyPem });
      reset(false);
      navigate(`/certificates/${cert.name}`);
    } catch (err) {
      const view = describeError(err);
      if (view.status >= 400 && view.status < 500) setProblem(`${view.message} (request id ${view.requestId ?? "none"})`);
      else toastError(err, "Could not upload the certificate");
    }
  }

  return (
    <>
      <RoleButton role="admin" onClick={() => setOpen(true)}>
        <UploadIcon /> Upload certificate
      </RoleButton>
      <Dialog open={open} onOpenChange={reset}>
        <DialogContent className="sm:max-w-xl">
          <form onSubmit={submit} className="flex flex-col gap-4">
            <DialogHeader>
              <DialogTitle>Upload a certificate</DialogTitle>
              <DialogDescription>The key is checked against the certificate and stored encrypted; it is never shown again.</DialogDescription>
            </DialogHeader>
            <Field label="Name" hint={name ? `Configs reference it as crt certs/${name}.pem` : "Becomes certs/<name>.pem in bundles."}>
              <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            </Field>
            <CertificatePemFields value={pem} onChange={setPem} onFileName={(suggested) => setName((current) => current || suggested)} />
            {problem && (
              <p role="alert" className="text-sm text-destructive">
                {problem}
              </p>
            )}
            <DialogFooter>
              <Button variant="outline" onClick={() => reset(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!name || !pem.certPem || !pem.keyPem || upload.isPending}>
                {upload.isPending ? "Uploading…" : "Upload"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
