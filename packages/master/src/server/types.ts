import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AppError } from "@ha-master/shared";
import type { Actor, RequestContext, Role } from "../lib/context.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The weakest role allowed; "public" needs no login. Every /api and /auth route declares it. */
    role?: Role | "public";
  }
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyInstance {
    /** Every route with its declared role (for the role-matrix test and the docs). */
    routeRoles: import("./authenticate.js").RouteRole[];
  }
}

/** The Fastify instance every router registers on. */
export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** The request's context for services: who, which request, from where. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new AppError("unauthenticated", "log in first");
  return { actor: request.actor, requestId: request.id, clientIp: request.ip };
}

/** The context of a request made before login (login, refresh). */
export function anonymousContextOf(request: FastifyRequest): Omit<RequestContext, "actor"> {
  return { requestId: request.id, clientIp: request.ip };
}
