import { ApiError, createApiClient, unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import { reachableFetch } from "../api/network.js";
import { SessionError, UsageError } from "../errors.js";
import type { CliConfig, ConfigStore } from "./config-store.js";

export type User = Schemas["User"];

/** How a session talks to its server; tests hand in a fake fetch and clock. */
export interface SessionOptions {
  store: ConfigStore;
  /** The normalised server URL (see normalizeServerUrl). */
  server: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per-request time limit; default 60 s. */
  timeoutMs?: number;
}

// Renew this long before the access token expires, so a request never races its expiry.
const RENEW_MARGIN_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 60_000;

/** `https://host:8080/` → `https://host:8080`; refuses anything but an http(s) URL. */
export function normalizeServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`the server must be a URL such as https://ha-master.example.com, not ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`the server URL must start with http:// or https://, not ${url.protocol}//`);
  }
  if (url.username || url.password) throw new UsageError("the server URL must not carry credentials");
  if (url.search || url.hash) throw new UsageError("the server URL must not have a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The server a command talks to: `--server`, else HACTL_SERVER, else the one logged in to last. */
export function chooseServer(flag: string | undefined, env: string | undefined, config: CliConfig): string | undefined {
  const raw = flag || env || config.currentServer;
  return raw ? normalizeServerUrl(raw) : undefined;
}

/** A typed client for `server` that does not authenticate (login, refresh, logout). */
function anonymousClient(options: SessionOptions): ApiClient {
  return createApiClient({ baseUrl: options.server, fetch: timedFetch(options) });
}

function timedFetch(options: SessionOptions): (input: Request) => Promise<Response> {
  const inner = reachableFetch(options.server, options.fetch ?? fetch);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return (input) => inner(new Request(input, { signal: AbortSignal.any([input.signal, AbortSignal.timeout(timeoutMs)]) }));
}

/**
 * Logs in with a password and stores the refresh token (never the password) as the login for
 * `server`, which becomes the current server.
 */
export async function login(options: SessionOptions, username: string, password: string): Promise<User> {
  const session = unwrap(
    await anonymousClient(options).POST("/auth/login", { body: { username, password, session: "token" } }),
  );
  if (!session.refreshToken) throw new SessionError("the server answered the login without a refresh token");
  const refreshToken = session.refreshToken;
  const savedAt = new Date(options.now?.() ?? Date.now()).toISOString();
  await options.store.exclusive(async () => {
    const config = await options.store.load();
    config.logins[options.server] = { username: session.user.username, refreshToken, savedAt };
    config.currentServer = options.server;
    await options.store.save(config);
  });
  return session.user;
}

/**
 * Ends the session on the server and forgets it here. The local login is removed even when the
 * server cannot be reached; `endedOnServer` says whether the server confirmed.
 */
export async function logout(options: SessionOptions): Promise<{ hadLogin: boolean; endedOnServer: boolean; error?: unknown }> {
  return options.store.exclusive(async () => {
    const config = await options.store.load();
    const stored = config.logins[options.server];
    if (!stored) return { hadLogin: false, endedOnServer: false };
    let error: unknown;
    try {
      unwrap(await anonymousClient(options).POST("/auth/logout", { body: { refreshToken: stored.refreshToken } }));
    } catch (err) {
      error = err;
    }
    delete config.logins[options.server];
    if (config.currentServer === options.server) delete config.currentServer;
    await options.store.save(config);
    return error === undefined ? { hadLogin: true, endedOnServer: true } : { hadLogin: true, endedOnServer: false, error };
  });
}

/**
 * A logged-in session with one server. The first request trades the stored refresh token for an
 * access token (`POST /auth/refresh`); the server rotates the refresh token every time, so the new
 * one is saved before anything else happens, under the store's lock so that parallel hactl runs
 * never present the same token twice (the server would take that for a replay and end the session).
 */
export class Session {
  private access: { token: string; expiresAt: number } | undefined;
  private renewing: Promise<string> | undefined;
  private readonly now: () => number;
  /** The user, once the first refresh told who it is. */
  user: User | undefined;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
  }

  get server(): string {
    return this.options.server;
  }

  /** Throws SessionError when there is no stored login for the server. */
  async requireLogin(): Promise<{ username: string }> {
    const stored = (await this.options.store.load()).logins[this.server];
    if (!stored) throw notLoggedIn(this.server);
    return stored;
  }

  /** A valid access token, renewed when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    if (this.access && this.access.expiresAt - RENEW_MARGIN_MS > this.now()) return this.access.token;
    return this.renew();
  }

  /** Trades the stored refresh token for a new session, whatever the current access token. */
  renew(): Promise<string> {
    this.renewing ??= this.refresh().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async refresh(): Promise<string> {
    const { store, server } = this.options;
    return store.exclusive(async () => {
      // Read under the lock: another hactl may have rotated the token a moment ago.
      const config = await store.load();
      const stored = config.logins[server];
      if (!stored) throw notLoggedIn(server);
      const started = this.now();
      let session: Schemas["Session"];
      try {
        session = unwrap(await anonymousClient(this.options).POST("/auth/refresh", { body: { refreshToken: stored.refreshToken } }));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          // The token is dead for good (spent, expired, revoked): keeping it would only repeat this.
          delete config.logins[server];
          await store.save(config);
          throw new SessionError(`session ended: ${err.message} (run hactl login --server ${server})`, err.requestId);
        }
        throw err;
      }
      if (!session.refreshToken) throw new SessionError("the server answered the refresh without a new refresh token");
      config.logins[server] = { username: session.user.username, refreshToken: session.refreshToken, savedAt: new Date(this.now()).toISOString() };
      await store.save(config);
      this.user = session.user;
      this.access = { token: session.accessToken, expiresAt: started + session.expiresIn * 1000 };
      return session.accessToken;
    });
  }

  /** A typed client whose every request carries a fresh access token. */
  client(): ApiClient {
    const client = createApiClient({ baseUrl: this.server, fetch: timedFetch(this.options) });
    client.use({
      onRequest: async ({ request }) => {
        request.headers.set("authorization", `Bearer ${await this.accessToken()}`);
        return request;
      },
    });
    return client;
  }

  /** fetch with the session's Authorization header, for what the typed client cannot do (SSE). */
  async authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${await this.accessToken()}`);
    return reachableFetch(this.server, this.options.fetch ?? fetch)(this.server + path, { ...init, headers });
  }
}

function notLoggedIn(server: string): SessionError {
  return new SessionError(`not logged in to ${server}; run hactl login --server ${server}`);
}
