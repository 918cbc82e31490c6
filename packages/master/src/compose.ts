import type { Logger } from "pino";
import type { Settings } from "./config/env.js";
import type { Store } from "./db/store.js";
import { readinessOf, type Readiness } from "./lib/readiness.js";
import { auditServiceFactory } from "./audit/audit-service.js";
import { registerAuditRoutes } from "./audit/audit-router.js";
import { authServiceFactory } from "./auth/auth-service.js";
import { registerAuthRoutes } from "./auth/auth-router.js";
import { accessTokenCodec } from "./auth/tokens.js";
import { certificatesServiceFactory } from "./certificates/certificates-service.js";
import { registerCertificateRoutes } from "./certificates/certificates-router.js";
import { clustersServiceFactory } from "./clusters/clusters-service.js";
import { registerClusterRoutes } from "./clusters/clusters-router.js";
import { configValidatorFactory } from "./configs/config-validator.js";
import { configsServiceFactory } from "./configs/configs-service.js";
import { registerConfigRoutes } from "./configs/configs-router.js";
import { haproxyChecker } from "./configs/haproxy-check.js";
import { createKeyring } from "./crypto/secret-box.js";
import { createHttpServer } from "./server/app.js";
import type { EarlyListener } from "./server/early-listener.js";
import { createMetrics } from "./server/metrics.js";
import type { App } from "./server/types.js";
import { registerUserRoutes } from "./users/users-router.js";
import { usersServiceFactory } from "./users/users-service.js";

export type MasterSettings = Pick<
  Settings,
  | "jwtSecret"
  | "encryptionKey"
  | "oldEncryptionKeys"
  | "ACCESS_TOKEN_TTL_SECONDS"
  | "REFRESH_TOKEN_TTL_SECONDS"
  | "BODY_LIMIT_BYTES"
  | "TRUST_PROXY_HOPS"
  | "LOGIN_RATE_LIMIT_PER_MINUTE"
  | "HAPROXY_BIN"
> & { webDir?: string; server?: EarlyListener };

/**
 * The composition root: builds every service from its narrow dependencies and registers each
 * domain's routes. Nothing here touches the database; the store opens on its own.
 */
export async function composeMaster(
  settings: MasterSettings,
  store: Store,
  logger: Logger,
  readiness: Readiness = readinessOf(store.opened),
) {
  const metrics = createMetrics();
  const tokens = accessTokenCodec(settings.jwtSecret, settings.ACCESS_TOKEN_TTL_SECONDS);
  const keyring = createKeyring(settings.encryptionKey, settings.oldEncryptionKeys);
  const checker = settings.HAPROXY_BIN === "off" ? null : haproxyChecker(settings.HAPROXY_BIN);

  const audit = auditServiceFactory({ store });
  const users = usersServiceFactory({ store });
  const auth = authServiceFactory({ store, tokens, refreshTtlSeconds: settings.REFRESH_TOKEN_TTL_SECONDS });
  const clusters = clustersServiceFactory({ store });
  const certificates = certificatesServiceFactory({ store, keyring });
  const validator = configValidatorFactory({ store, keyring, checker });
  const configs = configsServiceFactory({ store, clusters, validator });
  const services = { audit, users, auth, clusters, certificates, configs, keyring, tokens, metrics };

  const app: App = await createHttpServer({
    store,
    readiness,
    logger,
    metrics,
    tokens,
    options: { bodyLimit: settings.BODY_LIMIT_BYTES, trustProxyHops: settings.TRUST_PROXY_HOPS, webDir: settings.webDir, server: settings.server },
  });
  registerUserRoutes(app, { users });
  registerAuthRoutes(app, { auth, loginLimit: settings.LOGIN_RATE_LIMIT_PER_MINUTE });
  registerClusterRoutes(app, { clusters });
  registerConfigRoutes(app, { configs });
  registerCertificateRoutes(app, { certificates });
  registerAuditRoutes(app, { audit });
  return { app, services };
}

export type Master = Awaited<ReturnType<typeof composeMaster>>;
