import { render, type RenderResult } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { createConsoleClient } from "@/api/client";
import { AppProviders } from "@/app/app";
import { createQueryClient } from "@/app/query-client";
import { SessionManager } from "@/auth/session-manager";
import type { FakeMaster } from "./fake-master";

const BASE_URL = "http://master.test";

/** Renders `ui` inside the console's providers, signed in against a fake master. */
export async function renderSignedIn(ui: ReactNode, master: FakeMaster, route = "/"): Promise<RenderResult & { session: SessionManager }> {
  const session = new SessionManager({ baseUrl: BASE_URL, fetch: master.fetch, locks: undefined, channel: undefined });
  await session.restore();
  const client = createConsoleClient({ baseUrl: BASE_URL, tokens: session, fetch: master.fetch });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const result = render(
    <AppProviders client={client} session={session} queryClient={queryClient} baseUrl={BASE_URL} fetch={master.fetch}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </AppProviders>,
  );
  return { ...result, session };
}
