import type { ApiClient } from "@ha-master/api-client";
import { createContext, useContext, type ReactNode } from "react";
import type { SessionManager } from "@/auth/session-manager";

export interface ApiContextValue {
  client: ApiClient;
  session: SessionManager;
  /** The master's origin; streaming requests (SSE) are made outside the typed client. */
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
}

const ApiContext = createContext<ApiContextValue | undefined>(undefined);

/** Provides the typed client and the session to every hook below it. */
export function ApiProvider({ children, ...value }: ApiContextValue & { children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error("useApi must be used inside <ApiProvider>");
  return value;
}

/** The typed REST client (generated from the master's OpenAPI document). */
export function useApi(): ApiClient {
  return useApiContext().client;
}

export function useSessionManager(): SessionManager {
  return useApiContext().session;
}
