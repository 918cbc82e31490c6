import { RocketIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useCan } from "@/auth/roles";
import { Field } from "@/components/field";
import { RoleButton } from "@/components/role-button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { useConfigVersions } from "@/features/configs/config-queries";
import type { Cluster } from "@/features/clusters/cluster-queries";
import { useCreateDeployment } from "./deployment-queries";

/** Deploy a version: canary first, then batches; roll back automatically on failure by default. */
export function NewDeploymentForm({ cluster, initialVersion }: { cluster: Cluster; initialVersion: number | undefined }) {
  const versions = useConfigVersions(cluster.name);
  const [version, setVersion] = useState(String(initialVersion ?? cluster.latestVersion));
  const [batchSize, setBatchSize] = useState("");
  const [autoRollback, setAutoRollback] = useState(true);
  const create = useCreateDeployment(cluster.name);
  const navigate = useNavigate();
  const canDeploy = useCan("operator");
  const options = versions.data?.pages.flatMap((p) => p.items) ?? [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const deployment = await create
      .mutateAsync({ version: Number(version), autoRollback, ...(batchSize ? { batchSize: Number(batchSize) } : {}) })
      .catch(() => undefined);
    if (deployment) navigate(`/clusters/${cluster.name}/deployments/${deployment.id}`);
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>New deployment</CardTitle>
        <CardDescription>
          {cluster.nodeCount === 0
            ? "This cluster has no nodes yet: a deployment now records the version, and nodes that join later converge to it."
            : `Pushes a version to the ${cluster.nodeCount} nodes of ${cluster.name}. Nodes already running it are skipped.`}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-4">
          <Field label="Version" className="w-64">
            <NativeSelect value={version} onChange={(e) => setVersion(e.target.value)} disabled={!canDeploy}>
              {options.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version} — {v.message.slice(0, 40)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Batch size" hint="Default: a quarter of the nodes." className="w-40">
            <Input type="number" min={1} value={batchSize} onChange={(e) => setBatchSize(e.target.value)} placeholder="auto" disabled={!canDeploy} />
          </Field>
          <label className="flex h-9 items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-primary" checked={autoRollback} onChange={(e) => setAutoRollback(e.target.checked)} disabled={!canDeploy} />
            Roll back automatically on failure
          </label>
          <RoleButton role="operator" type="submit" disabled={create.isPending || options.length === 0}>
            <RocketIcon /> {create.isPending ? "Starting…" : `Deploy v${version}`}
          </RoleButton>
        </form>
      </CardContent>
    </Card>
  );
}
