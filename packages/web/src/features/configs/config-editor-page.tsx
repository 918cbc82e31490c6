import { FileCode2Icon } from "lucide-react";
import { useSearchParams } from "react-router";
import { useState } from "react";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { useClusterContext } from "@/features/clusters/cluster-layout";
import { ConfigEditor, type EditorBase } from "./config-editor";
import { useConfigVersion } from "./config-queries";

/**
 * Loads what the editor starts from: the cluster's latest version as the base (saves must build
 * on it) and, with ?from=N, an older version's text as the draft (to restore or reuse it).
 */
export default function ConfigEditorPage() {
  const cluster = useClusterContext();
  const [params] = useSearchParams();
  // The base is fixed when the page opens; a newer version saved elsewhere shows up as a stale base.
  const [latest] = useState(cluster.latestVersion);
  const from = Number(params.get("from")) || undefined;
  const base = useConfigVersion(cluster.name, latest || undefined);
  const source = useConfigVersion(cluster.name, from !== latest ? from : undefined);

  if ((latest > 0 && base.isPending) || (from && from !== latest && source.isPending)) return <LoadingRows rows={8} label="Loading the config" />;
  if (base.isError) return <QueryError error={base.error} onRetry={() => void base.refetch()} what="the current config" />;
  if (source.isError) return <QueryError error={source.error} onRetry={() => void source.refetch()} what={`version ${from}`} />;

  const initialBase: EditorBase = base.data ?? { version: 0, content: "" };
  const initialDraft = source.data?.content ?? initialBase.content;
  return (
    <ConfigEditor
      key={`${latest}:${from ?? ""}`}
      clusterName={cluster.name}
      initialBase={initialBase}
      initialDraft={initialDraft}
      startedFrom={source.data?.version}
      emptyHint={latest === 0 ? <FirstConfigHint /> : undefined}
    />
  );
}

function FirstConfigHint() {
  return (
    <p className="flex items-center gap-2 text-sm text-muted-foreground">
      <FileCode2Icon className="size-4" aria-hidden />
      This cluster has no config yet. Write or paste its haproxy.cfg, validate it and save the first version.
    </p>
  );
}
