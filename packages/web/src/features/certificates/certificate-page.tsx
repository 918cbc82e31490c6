import { Trash2Icon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { RoleButton } from "@/components/role-button";
import { SectionHeader } from "@/components/section-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import { useCertificate, useDeleteCertificate, type CertificateDetail } from "./certificate-queries";
import { ExpiryBadge } from "./expiry-badge";
import { RenewCertificateDialog } from "./renew-certificate-dialog";

/** One certificate: its details, its public chain, and which configs reference it. Never its key. */
export default function CertificatePage() {
  const { certificate: ref = "" } = useParams();
  const cert = useCertificate(ref);
  if (cert.isPending) return <LoadingRows rows={6} label="Loading the certificate" />;
  if (cert.isError) return <QueryError error={cert.error} onRetry={() => void cert.refetch()} what={`certificate ${ref}`} />;
  return <CertificateView cert={cert.data} />;
}

function CertificateView({ cert }: { cert: CertificateDetail }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-muted-foreground">
        <Link to="/certificates" className="hover:underline">
          Certificates
        </Link>{" "}
        / <span className="text-foreground">{cert.name}</span>
      </nav>
      <PageHeader
        title={cert.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <ExpiryBadge daysLeft={cert.daysLeft} notAfter={cert.notAfter} />
            <span>
              Reference it as <code className="font-mono text-foreground">crt {cert.bundlePath}</code>
            </span>
          </span>
        }
        actions={
          <>
            <CopyButton text={`crt ${cert.bundlePath}`} label="Copy reference" />
            <RenewCertificateDialog name={cert.name} />
            <DeleteCertificateButton cert={cert} />
          </>
        }
      />
      {cert.warnings.length > 0 && (
        <ul className="mb-4 flex flex-col gap-1 rounded-lg border border-warning/50 bg-warning/10 px-4 py-3 text-sm">
          {cert.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardContent className="pt-4">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
              <Detail label="Subject">{cert.subject}</Detail>
              <Detail label="Issuer">{cert.issuer}</Detail>
              <Detail label="Names (SAN)">
                <span className="flex flex-wrap gap-1">
                  {cert.sans.length ? cert.sans.map((san) => <Badge key={san} variant="outline">{san}</Badge>) : "—"}
                </span>
              </Detail>
              <Detail label="Valid from">{formatDateTime(cert.notBefore)}</Detail>
              <Detail label="Valid until">{formatDateTime(cert.notAfter)}</Detail>
              <Detail label="Key">{cert.keyAlgorithm} (stored encrypted, never shown)</Detail>
              <Detail label="Chain">{cert.chainLength} {cert.chainLength === 1 ? "certificate" : "certificates"}</Detail>
              <Detail label="Serial">
                <span className="font-mono text-xs break-all">{cert.serialNumber}</span>
              </Detail>
              <Detail label="SHA-256">
                <span className="font-mono text-xs break-all">{cert.fingerprintSha256}</span>
              </Detail>
              <Detail label="Updated">{formatDateTime(cert.updatedAt)}</Detail>
            </dl>
          </CardContent>
        </Card>
        <section>
          <SectionHeader title="Used by" description="Configs whose newest version references this certificate." />
          {cert.usedBy.length === 0 ? (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No config references it.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {cert.usedBy.map((use) => (
                <li key={`${use.clusterId}:${use.version}`} className="rounded-lg border px-4 py-2.5 text-sm">
                  <Link to={`/clusters/${use.clusterName}/configs`} className="font-medium text-primary hover:underline">
                    {use.clusterName}
                  </Link>{" "}
                  version {use.version}
                  <span className="text-muted-foreground"> — {use.lines.length === 1 ? "line" : "lines"} {use.lines.join(", ")}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="mt-6">
        <SectionHeader title="Certificate chain" description="The public part only." actions={<CopyButton text={cert.certPem} label="Copy PEM" />} />
        <pre tabIndex={0} aria-label="Certificate chain, PEM" className="max-h-72 overflow-auto rounded-lg border bg-muted/30 p-3 font-mono text-xs">
          {cert.certPem}
        </pre>
      </section>
    </>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function DeleteCertificateButton({ cert }: { cert: CertificateDetail }) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteCertificate();
  const navigate = useNavigate();
  return (
    <>
      <RoleButton role="admin" variant="outline" onClick={() => setOpen(true)}>
        <Trash2Icon /> Delete
      </RoleButton>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete ${cert.name}?`}
        description={
          cert.usedBy.length > 0
            ? `It is referenced by ${cert.usedBy.map((u) => u.clusterName).join(", ")}; the master refuses to delete a certificate a current config uses.`
            : "The certificate and its key are removed. Older config versions that reference it can no longer be deployed."
        }
        confirmLabel="Delete certificate"
        destructive
        onConfirm={() => remove.mutate(cert.name, { onSuccess: () => navigate("/certificates") })}
      />
    </>
  );
}
