import { pino } from "pino";
import { composeMaster } from "../compose.js";
import { openStore } from "../db/store.js";
import { readinessOf } from "../lib/readiness.js";

/**
 * The OpenAPI document of this build, without a database or a listening port: what `GET
 * /openapi.json` serves. The typed clients (hactl, web console) are generated from it at build time.
 */
export async function openapiDocument(): Promise<unknown> {
  // A store that is never opened: routes are registered, nothing is queried.
  const store = openStore({ kind: "embedded-memory" as const, lazy: true });
  const { app } = await composeMaster(
    {
      jwtSecret: "x".repeat(32),
      encryptionKey: Buffer.alloc(32),
      oldEncryptionKeys: [],
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 3600,
      BODY_LIMIT_BYTES: 1024,
      TRUST_PROXY_HOPS: 0,
      LOGIN_RATE_LIMIT_PER_MINUTE: 10,
      HAPROXY_BIN: "off",
    },
    store,
    pino({ level: "silent" }),
    readinessOf(new Promise(() => undefined)),
  );
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return doc;
}
