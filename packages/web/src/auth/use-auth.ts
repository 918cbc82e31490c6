import { useSyncExternalStore } from "react";
import { useSessionManager } from "@/api/api-context";
import type { AuthState, User } from "./session-manager";

/** The session's state (restoring, signed out, signed in with a user); re-renders on change. */
export function useAuthState(): AuthState {
  const session = useSessionManager();
  return useSyncExternalStore(session.subscribe, session.getState, session.getState);
}

/** The logged-in user; only for components rendered behind the login gate. */
export function useCurrentUser(): User {
  const state = useAuthState();
  if (state.status !== "signed-in") throw new Error("useCurrentUser outside a signed-in view");
  return state.user;
}
