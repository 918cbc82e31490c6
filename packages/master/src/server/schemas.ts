import { Type, type TSchema } from "typebox";
import { ERROR_CODES } from "@ha-master/shared";

/** The one error body, referenced by every route's non-2xx responses. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ERROR_CODES).map((c) => Type.Literal(c))),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.String(),
    }),
  },
  { $id: "ErrorResponse", description: "Every error, on every route" },
);

export const Uuid = Type.String({ format: "uuid" });
export const Timestamp = Type.String({ format: "date-time" });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

/** Path parameter naming a resource by id or by name. */
export const Ref = Type.String({ minLength: 1, maxLength: 200, description: "id or name" });

export const Limit = (max = 200, dflt = 50) => Type.Integer({ minimum: 1, maximum: max, default: dflt });

/** Standard error responses for a route, plus its success responses. */
export function responses<T extends Record<number, TSchema>>(ok: T) {
  const error = Type.Ref("ErrorResponse");
  return { ...ok, 400: error, 401: error, 403: error, 404: error, 409: error, 413: error, 422: error, 429: error, 500: error, 503: error };
}

export const NoContent = Type.Null({ description: "No content" });
