import type { Schemas } from "@ha-master/api-client";

type Role = Schemas["User"]["role"];

/** What a route handler answers: a JSON body with a status (200 by default). */
export interface FakeResponse {
  status?: number;
  body?: unknown;
}

export type Handler = (request: { method: string; path: string; query: URLSearchParams; body: unknown }) => FakeResponse | undefined | Promise<FakeResponse | undefined>;

export interface FakeMaster {
  fetch: (request: Request) => Promise<Response>;
  /** Every request the console made, in order. */
  requests: { method: string; path: string; body: unknown }[];
}

let requestCounter = 0;

/** An error body in the master's one shape. */
export function apiError(status: number, code: string, message: string, details?: unknown): FakeResponse {
  return { status, body: { error: { code, message, requestId: `req-${++requestCounter}`, ...(details === undefined ? {} : { details }) } } };
}

export function userOf(role: Role): Schemas["User"] {
  return { id: "00000000-0000-4000-8000-000000000001", username: `${role}-user`, role, disabled: false, createdAt: "2025-01-01T00:00:00Z", lastLoginAt: null };
}

/**
 * A stand-in for the master over fetch, for component tests: the session endpoints answer for a
 * user of `role`; everything else goes to `handlers` (first answer wins) or is a 404.
 */
export function fakeMaster(role: Role, ...handlers: Handler[]): FakeMaster {
  const requests: FakeMaster["requests"] = [];
  const session = { accessToken: "test-token", tokenType: "Bearer", expiresIn: 900, refreshExpiresIn: 3600, user: userOf(role) };
  const all: Handler[] = [
    ({ method, path }) => (method === "POST" && (path === "/auth/refresh" || path === "/auth/login") ? { body: session } : undefined),
    ({ method, path }) => (method === "POST" && path === "/auth/logout" ? { status: 204 } : undefined),
    ({ method, path }) => (method === "GET" && path === "/api/v1/users/me" ? { body: session.user } : undefined),
    ...handlers,
  ];
  return {
    requests,
    async fetch(request: Request) {
      const url = new URL(request.url);
      const text = request.method === "GET" ? "" : await request.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      requests.push({ method: request.method, path: url.pathname, body });
      for (const handler of all) {
        const answer = await handler({ method: request.method, path: url.pathname, query: url.searchParams, body });
        if (answer) {
          const status = answer.status ?? 200;
          return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
            status,
            headers: { "content-type": "application/json", "x-request-id": request.headers.get("x-request-id") ?? "" },
          });
        }
      }
      const missing = apiError(404, "not_found", `no route ${request.method} ${url.pathname}`);
      return new Response(JSON.stringify(missing.body), { status: 404, headers: { "content-type": "application/json" } });
    },
  };
}
