import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, useRef } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import type { ApiClient } from "@ha-master/api-client";
import { ApiProvider } from "@/api/api-context";
import type { SessionManager } from "@/auth/session-manager";
import { useAuthState } from "@/auth/use-auth";
import { LoginPage } from "@/features/login/login-page";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import { FullPageSpinner } from "./full-page-spinner";
import { SignedInRoutes } from "./routes";

/** Everything the console needs around its pages; tests render pages inside the same providers. */
export function AppProviders({ queryClient, children, ...api }: AppProps & { children: React.ReactNode }) {
  return (
    <ApiProvider {...api}>
      <QueryClientProvider client={queryClient}>
        <TooltipProvider delayDuration={300}>
          {children}
          <Toaster />
        </TooltipProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

export interface AppProps {
  client: ApiClient;
  session: SessionManager;
  queryClient: QueryClient;
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
}

export function App(props: AppProps) {
  return (
    <AppProviders {...props}>
      <BrowserRouter>
        <AuthGate queryClient={props.queryClient} />
      </BrowserRouter>
    </AppProviders>
  );
}

/** Signed out: only the login page. Signed in: the console. A reload restores the session first. */
function AuthGate({ queryClient }: { queryClient: QueryClient }) {
  const state = useAuthState();
  const location = useLocation();
  const previous = useRef(state.status);
  useEffect(() => {
    // Nothing one user loaded may stay in memory for the next one.
    if (previous.current === "signed-in" && state.status === "signed-out") queryClient.clear();
    previous.current = state.status;
  }, [state.status, queryClient]);

  if (state.status === "restoring") return <FullPageSpinner label="Restoring your session…" />;
  if (state.status === "signed-out") {
    const next = location.pathname === "/login" ? new URLSearchParams(location.search).get("next") : location.pathname + location.search;
    return (
      <Routes>
        <Route path="/login" element={<LoginPage reason={state.reason} />} />
        <Route path="*" element={<Navigate to={next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login"} replace />} />
      </Routes>
    );
  }
  if (location.pathname === "/login") {
    const next = new URLSearchParams(location.search).get("next");
    return <Navigate to={next?.startsWith("/") && !next.startsWith("//") ? next : "/"} replace />;
  }
  return (
    <Suspense fallback={<FullPageSpinner label="Loading…" />}>
      <SignedInRoutes />
    </Suspense>
  );
}
