import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { RelativeTime } from "@/components/relative-time";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useRevokeToken, type EnrollmentToken } from "./enrollment-queries";

const STATUS_VARIANT: Record<EnrollmentToken["status"], BadgeVariant> = {
  active: "success",
  expired: "muted",
  used_up: "secondary",
  revoked: "destructive",
};

export function TokensTable({ tokens }: { tokens: readonly EnrollmentToken[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Cluster</TableHead>
          <TableHead>Description</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Created</TableHead>
          <TableHead className="text-right">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {tokens.map((token) => (
          <TokenRow key={token.id} token={token} />
        ))}
      </TableBody>
    </Table>
  );
}

function TokenRow({ token }: { token: EnrollmentToken }) {
  const [confirm, setConfirm] = useState(false);
  const revoke = useRevokeToken();
  return (
    <TableRow>
      <TableCell className="font-medium">{token.clusterName}</TableCell>
      <TableCell className="text-muted-foreground">{token.description || "—"}</TableCell>
      <TableCell>
        <Badge variant={STATUS_VARIANT[token.status]}>{token.status.replace("_", " ")}</Badge>
      </TableCell>
      <TableCell>
        {token.useCount} of {token.maxUses}
      </TableCell>
      <TableCell>
        <RelativeTime iso={token.expiresAt} />
      </TableCell>
      <TableCell>
        <RelativeTime iso={token.createdAt} />
      </TableCell>
      <TableCell className="text-right">
        {token.status === "active" && (
          <>
            <Button variant="outline" size="sm" onClick={() => setConfirm(true)}>
              Revoke
            </Button>
            <ConfirmDialog
              open={confirm}
              onOpenChange={setConfirm}
              title="Revoke this join token?"
              description="Agents can no longer join with it. Nodes that already joined are not affected."
              confirmLabel="Revoke token"
              destructive
              onConfirm={() => revoke.mutate(token.id)}
            />
          </>
        )}
      </TableCell>
    </TableRow>
  );
}
