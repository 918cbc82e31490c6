import { BoxesIcon, KeyRoundIcon, LockIcon } from "lucide-react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { RequireRole } from "@/auth/roles";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { SectionHeader } from "@/components/section-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useClusters } from "@/features/clusters/cluster-queries";
import { CreateTokenForm } from "./create-token-form";
import { useEnrollmentTokens, type CreatedEnrollmentToken } from "./enrollment-queries";
import { JoinCommandCard } from "./join-command-card";
import { TokensTable } from "./tokens-table";

export default function EnrollmentPage() {
  return (
    <RequireRole
      role="admin"
      fallback={
        <EmptyState icon={LockIcon} title="Admins only">
          Join tokens let machines into the fleet; creating them needs the admin role.
        </EmptyState>
      }
    >
      <Enrollment />
    </RequireRole>
  );
}

function Enrollment() {
  const [params] = useSearchParams();
  const clusters = useClusters();
  const tokens = useEnrollmentTokens();
  const [created, setCreated] = useState<CreatedEnrollmentToken>();

  return (
    <>
      <PageHeader title="Enrolment" description="Add HAProxy hosts: create a join token, then run the join command on each host." />
      <div className="flex flex-col gap-6">
        {clusters.isPending ? (
          <LoadingRows rows={2} />
        ) : clusters.isError ? (
          <QueryError error={clusters.error} onRetry={() => void clusters.refetch()} what="the clusters" />
        ) : clusters.data.length === 0 ? (
          <EmptyState
            icon={BoxesIcon}
            title="Create a cluster first"
            action={
              <Button asChild>
                <Link to="/clusters">Go to clusters</Link>
              </Button>
            }
          >
            A node joins a cluster; there is none yet.
          </EmptyState>
        ) : (
          <CreateTokenForm clusters={clusters.data} initialCluster={params.get("cluster") ?? undefined} onCreated={setCreated} />
        )}
        {created && <JoinCommandCard token={created} />}
        <section>
          <SectionHeader title="Join tokens" />
          {tokens.isPending ? (
            <LoadingRows />
          ) : tokens.isError ? (
            <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} what="the join tokens" />
          ) : tokens.data.length === 0 ? (
            <EmptyState icon={KeyRoundIcon} title="No join tokens yet" />
          ) : (
            <Card>
              <TokensTable tokens={tokens.data} />
            </Card>
          )}
        </section>
      </div>
    </>
  );
}
