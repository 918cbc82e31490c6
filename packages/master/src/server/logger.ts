import { pino, type Logger } from "pino";

/**
 * Secrets never reach a log line: anything that can carry a password, token or key is redacted by
 * path, wherever a request body, header or error detail puts it.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.password",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.keyPem",
  "*.privateKey",
  "*.csrPem",
  "body.password",
  "body.keyPem",
];

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "ha-master" }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
}
