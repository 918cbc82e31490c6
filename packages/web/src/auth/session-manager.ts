import { createApiClient, unwrap, ApiError, type ApiClient, type Schemas } from "@ha-master/api-client";
import { send, type TokenSource } from "@/api/client";
import { newRequestId } from "@/api/request-id";

export type User = Schemas["User"];
type Session = Schemas["Session"];

export type AuthState =
  | { status: "restoring" }
  | { status: "signed-out"; reason?: "logged-out" | "expired" | "unreachable" }
  | { status: "signed-in"; user: User };

type RefreshOutcome = "ok" | "ended" | "unreachable";

/** Renew this long before the access token expires (and never sooner than MIN_DELAY_MS from now). */
const RENEW_MARGIN_MS = 60_000;
const MIN_DELAY_MS = 5_000;
const RETRY_AFTER_NETWORK_ERROR_MS = 10_000;
const LOCK_NAME = "ha-master-session-refresh";
const CHANNEL_NAME = "ha-master-session";

export interface SessionManagerOptions {
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  /** Serialises refreshes across tabs; the default is navigator.locks where the browser has it. */
  locks?: Pick<LockManager, "request"> | undefined;
  /** Tells other tabs about logins and logouts; the default is a BroadcastChannel when there is one. */
  channel?: Pick<BroadcastChannel, "postMessage" | "addEventListener" | "close"> | undefined;
}

/**
 * The browser session. The refresh token lives only in an HttpOnly cookie (path /auth) that no
 * script can read; the short-lived access token lives only in this object's memory. A page
 * load restores the session by POST /auth/refresh; the token is renewed before it expires and
 * once more on a 401. Refreshes are serialised (within the tab and across tabs) because the
 * refresh token rotates and presenting a spent one ends the whole session.
 */
export class SessionManager implements TokenSource {
  #token: string | undefined;
  #state: AuthState = { status: "restoring" };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<RefreshOutcome> | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #auth: ApiClient;
  readonly #locks: SessionManagerOptions["locks"];
  readonly #channel: SessionManagerOptions["channel"];

  constructor(options: SessionManagerOptions) {
    const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.#auth = createApiClient({
      baseUrl: options.baseUrl,
      credentials: "same-origin",
      fetch: (request) => {
        request.headers.set("x-request-id", newRequestId());
        return send(fetchImpl, request);
      },
    });
    this.#locks = "locks" in options ? options.locks : typeof navigator !== "undefined" ? navigator.locks : undefined;
    this.#channel =
      "channel" in options ? options.channel : typeof BroadcastChannel !== "undefined" ? new BroadcastChannel(CHANNEL_NAME) : undefined;
    this.#channel?.addEventListener("message", (event) => this.#onMessage((event as MessageEvent).data));
  }

  getState = (): AuthState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  accessToken(): string | undefined {
    return this.#token;
  }

  /** Logs in; throws the ApiError (wrong password, rate limited, unreachable) for the form to show. */
  async login(username: string, password: string): Promise<void> {
    const session = unwrap(await this.#auth.POST("/auth/login", { body: { username, password, session: "cookie" } }));
    this.#apply(session);
    this.#channel?.postMessage("signed-in");
  }

  /** On page load: trade the cookie for a session, or show the login page. */
  async restore(): Promise<void> {
    const outcome = await this.#refreshOnce();
    if (outcome === "unreachable") this.#set({ status: "signed-out", reason: "unreachable" });
  }

  /** Renews the access token (deduplicated); false when the session has ended. */
  async refresh(): Promise<boolean> {
    return (await this.#refreshOnce()) === "ok";
  }

  async logout(): Promise<void> {
    this.#clear();
    this.#set({ status: "signed-out", reason: "logged-out" });
    this.#channel?.postMessage("signed-out");
    try {
      await this.#auth.POST("/auth/logout", { body: {} });
    } catch {
      // The access token is already gone from memory; the cookie expires on its own.
    }
  }

  dispose(): void {
    this.#clear();
    this.#channel?.close();
  }

  #refreshOnce(): Promise<RefreshOutcome> {
    const run = async (): Promise<RefreshOutcome> => {
      const attempt = () => this.#refreshNow();
      return this.#locks ? this.#locks.request(LOCK_NAME, attempt) : attempt();
    };
    this.#refreshing ??= run().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refreshNow(): Promise<RefreshOutcome> {
    try {
      const session = unwrap(await this.#auth.POST("/auth/refresh", { body: {} }));
      this.#apply(session);
      return "ok";
    } catch (err) {
      if (err instanceof ApiError && (err.status === 0 || err.status >= 500)) {
        // The master is down or restarting: keep a still-valid token and try again soon.
        if (this.#state.status === "signed-in") this.#schedule(RETRY_AFTER_NETWORK_ERROR_MS);
        return "unreachable";
      }
      const wasSignedIn = this.#state.status === "signed-in";
      this.#clear();
      this.#set(wasSignedIn ? { status: "signed-out", reason: "expired" } : { status: "signed-out" });
      return "ended";
    }
  }

  #apply(session: Session): void {
    this.#token = session.accessToken;
    this.#schedule(Math.max(MIN_DELAY_MS, session.expiresIn * 1000 - RENEW_MARGIN_MS, session.expiresIn * 500));
    this.#set({ status: "signed-in", user: session.user });
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#refreshOnce(), delayMs);
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#token = undefined;
  }

  #set(state: AuthState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }

  #onMessage(message: unknown): void {
    if (message === "signed-out" && this.#state.status === "signed-in") {
      this.#clear();
      this.#set({ status: "signed-out", reason: "logged-out" });
    } else if (message === "signed-in" && this.#state.status === "signed-out") {
      void this.restore();
    }
  }
}
