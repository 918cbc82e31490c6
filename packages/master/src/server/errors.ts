import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ErrorObject } from "ajv";
import { AppError, ERROR_CODES, type ErrorBody } from "@ha-master/shared";
import { describeValidation } from "./validation.js";

/** The one error response of the REST API. */
export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId: request.id,
    },
  };
  return reply.code(ERROR_CODES[error.code].http).type("application/json").send(body);
}

/**
 * Maps anything thrown into an AppError: ours pass through; Fastify's own errors (validation,
 * body size, bad JSON, media type) get their codes; everything else is `internal`, logged with
 * its cause and never shown — database error text never reaches a client.
 */
export function toAppError(err: unknown, request: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  const fe = err as Partial<FastifyError> & { validation?: ErrorObject[]; validationContext?: string };
  if (fe.validation) {
    const issues = describeValidation(fe.validationContext ?? "request", fe.validation);
    const first = issues[0];
    return new AppError("bad_request", first ? `${first.field} ${first.message}` : "invalid request", { issues });
  }
  switch (fe.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("payload_too_large", "the request body is larger than the server accepts", {
        limitBytes: request.routeOptions.bodyLimit,
      });
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("bad_request", "the request body is not valid JSON");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("unsupported_media_type", `content type ${JSON.stringify(request.headers["content-type"] ?? "")} is not accepted here; send application/json (config import alone takes text/plain)`);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new AppError("bad_request", "the Content-Length header does not match the body");
  }
  if (fe.statusCode === 429) return new AppError("rate_limited", fe.message ?? "too many requests");
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 && fe.message) {
    return new AppError("bad_request", fe.message);
  }
  return new AppError("internal", "internal error; the request id identifies it in the master's log", undefined, {
    cause: err,
  });
}

/**
 * Installs the error and not-found handlers. With `spaIndex`, a GET for a client-side route of the
 * web console (not /api, /auth or a file) answers the console's index.html instead of 404.
 */
export function registerErrorHandling(app: FastifyInstance, spaIndex?: string): void {
  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err, request);
    if (appError.code === "internal") request.log.error({ err }, "request failed");
    else request.log.info({ code: appError.code, msg: appError.message }, "request refused");
    return sendError(reply, request, appError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0]!;
    const clientRoute =
      spaIndex !== undefined && (request.method === "GET" || request.method === "HEAD") && !/^\/(api|auth)\//.test(path) && !/\.[a-z0-9]+$/i.test(path);
    if (clientRoute) return reply.type("text/html").header("cache-control", "no-cache").sendFile(spaIndex);
    return sendError(reply, request, new AppError("not_found", `no route ${request.method} ${path}`));
  });
}
