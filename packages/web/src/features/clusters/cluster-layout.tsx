import { Suspense } from "react";
import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router";
import { FullPageSpinner } from "@/app/full-page-spinner";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { cn } from "@/lib/utils";
import { useCluster, type Cluster } from "./cluster-queries";

const TABS = [
  { to: "", label: "Overview", end: true },
  { to: "configs", label: "Config", end: true },
  { to: "configs/history", label: "History", end: false },
  { to: "configs/diff", label: "Diff", end: false },
  { to: "deployments", label: "Deployments", end: false },
] as const;

/** A cluster's pages share its header and tabs; they read the cluster with useClusterContext(). */
export default function ClusterLayout() {
  const { cluster: ref = "" } = useParams();
  const cluster = useCluster(ref);
  if (cluster.isPending) return <LoadingRows rows={3} />;
  if (cluster.isError) return <QueryError error={cluster.error} onRetry={() => void cluster.refetch()} what={`cluster ${ref}`} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-muted-foreground">
        <Link to="/clusters" className="hover:underline">
          Clusters
        </Link>{" "}
        / <span className="text-foreground">{cluster.data.name}</span>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">{cluster.data.name}</h1>
      {cluster.data.description && <p className="mt-1 text-sm text-muted-foreground">{cluster.data.description}</p>}
      <div className="mt-3 mb-5 flex flex-wrap items-end justify-between gap-2 border-b">
        <nav aria-label="Cluster" className="-mb-px flex gap-1">
          {TABS.map((tab) => (
            <NavLink
              key={tab.label}
              to={`/clusters/${cluster.data.name}${tab.to ? `/${tab.to}` : ""}`}
              end={tab.end}
              className={({ isActive }) =>
                cn(
                  "border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground",
                  isActive && "border-primary text-foreground",
                )
              }
            >
              {tab.label}
            </NavLink>
          ))}
        </nav>
      </div>
      <Suspense fallback={<FullPageSpinner label="Loading…" />}>
        <Outlet context={cluster.data satisfies Cluster} />
      </Suspense>
    </>
  );
}

/** The cluster of the page being shown (inside ClusterLayout). */
export function useClusterContext(): Cluster {
  return useOutletContext<Cluster>();
}
