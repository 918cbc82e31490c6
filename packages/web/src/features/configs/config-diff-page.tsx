import { ArrowRightIcon, GitCompareArrowsIcon } from "lucide-react";
import { useSearchParams } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { Field } from "@/components/field";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { NativeSelect } from "@/components/ui/native-select";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useClusterContext } from "@/features/clusters/cluster-layout";
import { useConfigDiff, useConfigVersion, useConfigVersions } from "./config-queries";
import { DiffSummary } from "./diff-summary";
import { SideBySide } from "./editor/side-by-side";
import { UnifiedDiffView } from "./unified-diff-view";

/** Two versions side by side (or as a unified diff), with what changed in proxies and servers. */
export default function ConfigDiffPage() {
  const cluster = useClusterContext();
  const [params, setParams] = useSearchParams();
  const latest = cluster.latestVersion;
  const to = Number(params.get("to")) || latest;
  const from = Number(params.get("from")) || Math.max(1, to - 1);
  const versions = useConfigVersions(cluster.name);
  const diff = useConfigDiff(cluster.name, from, to);
  const left = useConfigVersion(cluster.name, from);
  const right = useConfigVersion(cluster.name, to);

  if (latest < 2) {
    return (
      <EmptyState icon={GitCompareArrowsIcon} title="Nothing to compare yet">
        A diff needs two versions; this cluster has {latest === 0 ? "none" : "one"}.
      </EmptyState>
    );
  }
  const options = [...new Set([...(versions.data?.pages.flatMap((p) => p.items.map((v) => v.version)) ?? []), from, to])].sort((a, b) => b - a);
  const choose = (key: "from" | "to", value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    if (!next.get(key === "from" ? "to" : "from")) next.set(key === "from" ? "to" : "from", String(key === "from" ? to : from));
    setParams(next, { replace: true });
  };
  const failed = diff.error ?? left.error ?? right.error;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="From" className="w-36">
          <NativeSelect value={String(from)} onChange={(e) => choose("from", e.target.value)}>
            {options.map((v) => (
              <option key={v} value={v}>
                version {v}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <ArrowRightIcon className="mb-2.5 size-4 text-muted-foreground" aria-hidden />
        <Field label="To" className="w-36">
          <NativeSelect value={String(to)} onChange={(e) => choose("to", e.target.value)}>
            {options.map((v) => (
              <option key={v} value={v}>
                version {v}
              </option>
            ))}
          </NativeSelect>
        </Field>
        {diff.data && <DiffSummary diff={diff.data} />}
      </div>
      {failed ? (
        <QueryError error={failed} what="the diff" onRetry={() => void Promise.all([diff.refetch(), left.refetch(), right.refetch()])} />
      ) : !diff.data || !left.data || !right.data ? (
        <LoadingRows rows={8} label="Loading the diff" />
      ) : (
        <Tabs defaultValue="side" className="flex flex-col gap-3">
          <TabsList>
            <TabsTrigger value="side">Side by side</TabsTrigger>
            <TabsTrigger value="unified">Unified</TabsTrigger>
          </TabsList>
          <TabsContent value="side">
            <SideBySide
              left={{ text: left.data.content, label: `Version ${from} — ${left.data.author}: ${left.data.message}` }}
              right={{ text: right.data.content, label: `Version ${to} — ${right.data.author}: ${right.data.message}` }}
              collapseUnchanged
            />
          </TabsContent>
          <TabsContent value="unified">
            <UnifiedDiffView diff={diff.data.unified || "(no differences)"} label={`Unified diff from version ${from} to ${to}`} className="max-h-[65vh]" />
          </TabsContent>
        </Tabs>
      )}
    </div>
  );
}
