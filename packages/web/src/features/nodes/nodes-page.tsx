import { useSearchParams } from "react-router";
import { Field } from "@/components/field";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { Card } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { useClusters } from "@/features/clusters/cluster-queries";
import { useNodes } from "./node-queries";
import { NoNodes } from "./no-nodes";
import { NodesTable } from "./nodes-table";

export default function NodesPage() {
  const [params, setParams] = useSearchParams();
  const cluster = params.get("cluster") ?? "";
  const clusters = useClusters();
  const nodes = useNodes(cluster || undefined);
  const online = nodes.data?.filter((n) => n.online && !n.revokedAt).length ?? 0;

  return (
    <>
      <PageHeader
        title="Nodes"
        description={nodes.data ? `${online} of ${nodes.data.filter((n) => !n.revokedAt).length} online. Refreshed every 5 seconds.` : "HAProxy hosts whose agents have joined."}
        actions={
          <Field label="Cluster" className="w-48">
            <NativeSelect value={cluster} onChange={(e) => setParams(e.target.value ? { cluster: e.target.value } : {}, { replace: true })}>
              <option value="">All clusters</option>
              {clusters.data?.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
        }
      />
      {nodes.isPending ? (
        <LoadingRows />
      ) : nodes.isError ? (
        <QueryError error={nodes.error} onRetry={() => void nodes.refetch()} what="the nodes" />
      ) : nodes.data.length === 0 ? (
        <NoNodes clusterName={cluster || undefined} />
      ) : (
        <Card>
          <NodesTable nodes={nodes.data} />
        </Card>
      )}
    </>
  );
}
