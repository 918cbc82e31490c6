import { useMemo } from "react";
import { useCan } from "@/auth/roles";
import { SectionHeader } from "@/components/section-header";
import { Card } from "@/components/ui/card";
import type { FleetNode } from "@/features/nodes/node-queries";
import { clusterServers } from "./cluster-servers";
import { ClusterServersTable } from "./cluster-servers-table";

/** "Backend servers" on a cluster's overview, from the nodes the page already follows. */
export function ClusterServersSection({ cluster, nodes }: { cluster: string; nodes: readonly FleetNode[] }) {
  const servers = useMemo(() => clusterServers(nodes), [nodes]);
  const canSet = useCan("operator");
  return (
    <section aria-label="Backend servers">
      <SectionHeader
        title="Backend servers"
        description={
          canSet
            ? "As the nodes' HAProxy report them. Ready, Drain and Maint apply to every node at once, without a reload, until the next deployment."
            : "As the nodes' HAProxy report them. Setting a server ready, draining or in maintenance needs the operator role."
        }
      />
      {servers.length === 0 ? (
        <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
          The nodes report no backend servers yet: they do once a config with backends is deployed.
        </p>
      ) : (
        <Card>
          <ClusterServersTable cluster={cluster} servers={servers} />
        </Card>
      )}
    </section>
  );
}
