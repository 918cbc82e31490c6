import { lazy } from "react";
import { Navigate, Route, Routes } from "react-router";
import { DashboardPage } from "@/features/dashboard/dashboard-page";
import { AppShell } from "./shell/app-shell";
import { NotFoundPage } from "./not-found-page";

// Every page but the dashboard loads on demand; the config editor and the diff view carry
// CodeMirror, which must stay out of the initial bundle.
const ClustersPage = lazy(() => import("@/features/clusters/clusters-page"));
const ClusterLayout = lazy(() => import("@/features/clusters/cluster-layout"));
const ClusterOverviewPage = lazy(() => import("@/features/clusters/cluster-overview-page"));
const ConfigEditorPage = lazy(() => import("@/features/configs/config-editor-page"));
const ConfigHistoryPage = lazy(() => import("@/features/configs/config-history-page"));
const ConfigDiffPage = lazy(() => import("@/features/configs/config-diff-page"));
const ClusterDeploymentsPage = lazy(() => import("@/features/deployments/cluster-deployments-page"));
const DeploymentPage = lazy(() => import("@/features/deployments/deployment-page"));
const DeploymentsPage = lazy(() => import("@/features/deployments/deployments-page"));
const NodesPage = lazy(() => import("@/features/nodes/nodes-page"));
const NodePage = lazy(() => import("@/features/nodes/node-page"));
const CertificatesPage = lazy(() => import("@/features/certificates/certificates-page"));
const CertificatePage = lazy(() => import("@/features/certificates/certificate-page"));
const EnrollmentPage = lazy(() => import("@/features/enrollment/enrollment-page"));
const AuditPage = lazy(() => import("@/features/audit/audit-page"));
const UsersPage = lazy(() => import("@/features/users/users-page"));

/** The console's pages, behind the login gate. */
export function SignedInRoutes() {
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<DashboardPage />} />
        <Route path="clusters" element={<ClustersPage />} />
        <Route path="clusters/:cluster" element={<ClusterLayout />}>
          <Route index element={<ClusterOverviewPage />} />
          <Route path="configs" element={<ConfigEditorPage />} />
          <Route path="configs/history" element={<ConfigHistoryPage />} />
          <Route path="configs/diff" element={<ConfigDiffPage />} />
          <Route path="deployments" element={<ClusterDeploymentsPage />} />
          <Route path="deployments/:deployment" element={<DeploymentPage />} />
        </Route>
        <Route path="nodes" element={<NodesPage />} />
        <Route path="nodes/:node" element={<NodePage />} />
        <Route path="deployments" element={<DeploymentsPage />} />
        <Route path="certificates" element={<CertificatesPage />} />
        <Route path="certificates/:certificate" element={<CertificatePage />} />
        <Route path="enrollment" element={<EnrollmentPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
