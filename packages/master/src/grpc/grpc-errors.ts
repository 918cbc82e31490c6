import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { AppError, ERROR_CODES, type GrpcStatusName } from "@ha-master/shared";

const CODES: Record<GrpcStatusName, Code> = {
  invalid_argument: Code.InvalidArgument,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  aborted: Code.Aborted,
  resource_exhausted: Code.ResourceExhausted,
  failed_precondition: Code.FailedPrecondition,
  internal: Code.Internal,
  unavailable: Code.Unavailable,
};

/** An AppError as a gRPC status, through the one table in @ha-master/shared; anything else is internal. */
export function toConnectError(err: unknown, log: Logger): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof AppError) return new ConnectError(err.message, CODES[ERROR_CODES[err.code].grpc]);
  log.error({ err }, "agent rpc failed");
  return new ConnectError("internal error; see the master's log", Code.Internal);
}

/** Maps what handlers throw, for unary and streaming calls alike. */
export function errorMapping(log: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      const res = await next(req);
      if (!res.stream) return res;
      const message = res.message;
      return {
        ...res,
        message: (async function* () {
          try {
            yield* message;
          } catch (err) {
            throw toConnectError(err, log);
          }
        })(),
      };
    } catch (err) {
      throw toConnectError(err, log);
    }
  };
}
