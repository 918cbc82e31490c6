import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createConsoleClient } from "@/api/client";
import { SessionManager } from "@/auth/session-manager";
import { App } from "@/app/app";
import { createQueryClient } from "@/app/query-client";
import "./index.css";

const baseUrl = window.location.origin;
const fetchImpl = (request: Request) => window.fetch(request);
const session = new SessionManager({ baseUrl, fetch: fetchImpl });
const client = createConsoleClient({ baseUrl, tokens: session, fetch: fetchImpl });
const queryClient = createQueryClient();
void session.restore();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App client={client} session={session} queryClient={queryClient} baseUrl={baseUrl} fetch={fetchImpl} />
  </StrictMode>,
);
