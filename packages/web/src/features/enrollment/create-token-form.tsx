import { KeyRoundIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import type { Cluster } from "@/features/clusters/cluster-queries";
import { useCreateToken, type CreatedEnrollmentToken } from "./enrollment-queries";

const LIFETIMES = [
  { seconds: 3600, label: "1 hour" },
  { seconds: 24 * 3600, label: "1 day" },
  { seconds: 7 * 24 * 3600, label: "7 days" },
  { seconds: 30 * 24 * 3600, label: "30 days" },
];

export function CreateTokenForm({
  clusters,
  initialCluster,
  onCreated,
}: {
  clusters: readonly Cluster[];
  initialCluster: string | undefined;
  onCreated: (token: CreatedEnrollmentToken) => void;
}) {
  const [cluster, setCluster] = useState(initialCluster ?? clusters[0]?.name ?? "");
  const [ttl, setTtl] = useState("3600");
  const [uses, setUses] = useState("1");
  const [description, setDescription] = useState("");
  const create = useCreateToken();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const token = await create
      .mutateAsync({ clusterId: cluster, ttlSeconds: Number(ttl), uses: Number(uses), ...(description ? { description } : {}) })
      .catch(() => undefined);
    if (token) {
      setDescription("");
      onCreated(token);
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>New join token</CardTitle>
        <CardDescription>A one-time secret an agent trades for its certificate. Only its hash is stored.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid grid-cols-2 items-end gap-4 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]">
          <Field label="Cluster">
            <NativeSelect value={cluster} onChange={(e) => setCluster(e.target.value)}>
              {clusters.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Valid for">
            <NativeSelect value={ttl} onChange={(e) => setTtl(e.target.value)}>
              {LIFETIMES.map((l) => (
                <option key={l.seconds} value={l.seconds}>
                  {l.label}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Nodes it may enrol">
            <Input type="number" min={1} max={1000} value={uses} onChange={(e) => setUses(e.target.value)} />
          </Field>
          <Field label="Description">
            <Input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="optional: edge-3 rebuild" maxLength={500} />
          </Field>
          <Button type="submit" disabled={!cluster || create.isPending}>
            <KeyRoundIcon /> Create token
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
