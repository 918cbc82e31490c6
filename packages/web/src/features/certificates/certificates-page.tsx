import { ShieldCheckIcon } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate } from "@/lib/format";
import { useCertificates } from "./certificate-queries";
import { ExpiryBadge } from "./expiry-badge";
import { UploadCertificateDialog } from "./upload-certificate-dialog";

export default function CertificatesPage() {
  const certificates = useCertificates();
  return (
    <>
      <PageHeader
        title="Certificates"
        description="TLS certificates and keys that configs reference as crt certs/<name>.pem; they travel to nodes in the bundle."
        actions={<UploadCertificateDialog />}
      />
      {certificates.isPending ? (
        <LoadingRows />
      ) : certificates.isError ? (
        <QueryError error={certificates.error} onRetry={() => void certificates.refetch()} what="the certificates" />
      ) : certificates.data.length === 0 ? (
        <EmptyState icon={ShieldCheckIcon} title="No certificates yet">
          Upload a PEM certificate chain and its key; a config then references it with <code className="font-mono">crt certs/&lt;name&gt;.pem</code>.
        </EmptyState>
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Subject</TableHead>
                <TableHead>Names (SAN)</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Status</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {[...certificates.data]
                .sort((a, b) => a.daysLeft - b.daysLeft)
                .map((cert) => (
                  <TableRow key={cert.id}>
                    <TableCell className="font-medium">
                      <Link to={`/certificates/${cert.name}`} className="text-primary hover:underline">
                        {cert.name}
                      </Link>
                      <span className="block font-mono text-[11px] text-muted-foreground">{cert.bundlePath}</span>
                    </TableCell>
                    <TableCell className="max-w-56 truncate" title={cert.subject}>
                      {cert.subject}
                    </TableCell>
                    <TableCell className="max-w-64 truncate" title={cert.sans.join(", ")}>
                      {cert.sans.join(", ") || "—"}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">{formatDate(cert.notAfter)}</TableCell>
                    <TableCell>
                      <ExpiryBadge daysLeft={cert.daysLeft} notAfter={cert.notAfter} />
                    </TableCell>
                  </TableRow>
                ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </>
  );
}
