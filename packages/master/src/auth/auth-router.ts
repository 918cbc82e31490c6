import { Type } from "typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "@ha-master/shared";
import { NoContent, responses } from "../server/schemas.js";
import { anonymousContextOf, type App } from "../server/types.js";
import type { AuthService, Session } from "./auth-service.js";

/** The browser keeps its refresh token here, out of reach of scripts (HttpOnly). */
export const REFRESH_COOKIE = "ham_refresh";

const SessionSchema = Type.Object(
  {
    accessToken: Type.String(),
    tokenType: Type.Literal("Bearer"),
    expiresIn: Type.Integer({ description: "seconds" }),
    refreshToken: Type.Optional(Type.String({ description: "absent when the session lives in the cookie" })),
    refreshExpiresIn: Type.Integer({ description: "seconds" }),
    user: Type.Ref("User"),
  },
  { $id: "Session" },
);

const SessionMode = Type.Optional(
  Type.Union([Type.Literal("token"), Type.Literal("cookie")], {
    description: "cookie: the refresh token is set as an HttpOnly cookie instead of returned (browsers)",
  }),
);

/** A browser's refresh and logout carry the session cookie and no body at all: read that as `{}`. */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

export function registerAuthRoutes(app: App, deps: { auth: AuthService; loginLimit: number; onLoginFailure?: () => void }): void {
  app.addSchema(SessionSchema);
  const failedLogins = app.createRateLimit({
    max: deps.loginLimit,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => `${req.ip}|${String((req.body as { username?: unknown })?.username ?? "").toLowerCase()}`,
  });

  function reply(request: FastifyRequest, res: FastifyReply, session: Session, mode: "token" | "cookie") {
    if (mode === "token") return session;
    res.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      sameSite: "strict",
      secure: request.protocol === "https",
      path: "/auth",
      maxAge: session.refreshExpiresIn,
    });
    const { refreshToken: _hidden, ...rest } = session;
    return rest;
  }

  app.post(
    "/auth/login",
    {
      config: { role: "public" },
      schema: {
        tags: ["auth"],
        summary: "Log in; returns a short-lived access token and a refresh token",
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }), session: SessionMode },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Ref("Session") }),
      },
    },
    async (request, res) => {
      const limit = await failedLogins(request, { increment: false });
      // A peek does not count this request: after `max` failures, the next attempt is refused.
      if (!limit.isAllowed && (limit.isExceeded || limit.remaining <= 0)) {
        res.header("retry-after", String(limit.ttlInSeconds));
        throw new AppError("rate_limited", `too many failed logins; try again in ${limit.ttlInSeconds} s`, { retryAfterSeconds: limit.ttlInSeconds });
      }
      try {
        const session = await deps.auth.login(anonymousContextOf(request), request.body.username, request.body.password);
        return reply(request, res, session, request.body.session ?? "token");
      } catch (err) {
        if (err instanceof AppError && err.code === "unauthenticated") {
          deps.onLoginFailure?.();
          await failedLogins(request);
        }
        throw err;
      }
    },
  );

  app.post(
    "/auth/refresh",
    {
      config: { role: "public" },
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ["auth"],
        summary: "Trade a refresh token for a new session; the old token is spent",
        description: "Presenting a token that was already used ends the whole session (401).",
        body: Type.Object({ refreshToken: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: responses({ 200: Type.Ref("Session") }),
      },
    },
    async (request, res) => {
      const fromCookie = request.body.refreshToken === undefined;
      const token = request.body.refreshToken ?? request.cookies[REFRESH_COOKIE];
      if (!token) throw new AppError("unauthenticated", "no refresh token: send refreshToken or the session cookie");
      try {
        const session = await deps.auth.refresh(anonymousContextOf(request), token);
        return reply(request, res, session, fromCookie ? "cookie" : "token");
      } catch (err) {
        if (fromCookie) res.clearCookie(REFRESH_COOKIE, { path: "/auth" });
        throw err;
      }
    },
  );

  app.post(
    "/auth/logout",
    {
      config: { role: "public" },
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ["auth"],
        summary: "End the session the refresh token belongs to",
        body: Type.Object({ refreshToken: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: responses({ 204: NoContent }),
      },
    },
    async (request, res) => {
      const token = request.body.refreshToken ?? request.cookies[REFRESH_COOKIE];
      if (token) await deps.auth.logout(anonymousContextOf(request), token);
      res.clearCookie(REFRESH_COOKIE, { path: "/auth" });
      return res.code(204).send(null);
    },
  );
}
