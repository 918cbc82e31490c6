/**
 * The closed set of error codes HA-Master speaks, and the one table that maps each code to an
 * HTTP status and a gRPC status. Every transport maps errors through this table only.
 */
export const ERROR_CODES = {
  bad_request: { http: 400, grpc: "invalid_argument" },
  unauthenticated: { http: 401, grpc: "unauthenticated" },
  forbidden: { http: 403, grpc: "permission_denied" },
  not_found: { http: 404, grpc: "not_found" },
  conflict: { http: 409, grpc: "already_exists" },
  stale_base: { http: 409, grpc: "aborted" },
  payload_too_large: { http: 413, grpc: "resource_exhausted" },
  unsupported_media_type: { http: 415, grpc: "invalid_argument" },
  config_invalid: { http: 422, grpc: "invalid_argument" },
  certificate_invalid: { http: 422, grpc: "invalid_argument" },
  rate_limited: { http: 429, grpc: "resource_exhausted" },
  internal: { http: 500, grpc: "internal" },
  unavailable: { http: 503, grpc: "unavailable" },
} as const satisfies Record<string, { http: number; grpc: GrpcStatusName }>;

/** gRPC status names, as Connect spells them. */
export type GrpcStatusName =
  | "invalid_argument"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "already_exists"
  | "aborted"
  | "resource_exhausted"
  | "failed_precondition"
  | "internal"
  | "unavailable";

export type ErrorCode = keyof typeof ERROR_CODES;

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    requestId: string;
  };
}

/**
 * The one base error of HA-Master. Thrown by services and DALs whenever a request cannot be
 * served; transports turn it into `{ error: { code, message, details, requestId } }`.
 * Anything thrown that is not an AppError becomes `internal`, with its cause logged, never sent.
 */
export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

/** Thrown when a named resource does not exist. */
export function notFound(what: string, id: string | number): AppError {
  return new AppError("not_found", `${what} ${JSON.stringify(String(id))} does not exist`);
}

/** True when `value` is one of the known error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}
