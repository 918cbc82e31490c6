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
import { registerDeploymentRoutes } from "./deployments/deployments-router.js";
import { registerEnrollmentRoutes } from "./enrollment/enrollment-router.js";
import { registerNodeRoutes } from "./nodes/nodes-router.js";
import { registerServerStateRoutes } from "./runtime/server-state-router.js";
import { composeFleet, DEFAULT_FLEET_SETTINGS, type FleetSettings } from "./fleet.js";
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
> &
  Partial<FleetSettings> & { webDir?: string; server?: EarlyListener };

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
  const fleet = composeFleet({
    settings: { ...DEFAULT_FLEET_SETTINGS, ...definedOnly(settings) },
    store,
    log: logger,
    keyring,
    clusters,
    registry: metrics.registry,
  });
  const services = { audit, users, auth, clusters, certificates, configs, keyring, tokens, metrics, fleet };

  const app: App = await createHttpServer({
    store,
    readiness,
    logger,
    metrics,
    tokens,
    options: { bodyLimit: settings.BODY_LIMIT_BYTES, trustProxyHops: settings.TRUST_PROXY_HOPS, webDir: settings.webDir, server: settings.server },
  });
  registerUserRoutes(app, { users, passwordLimit: settings.LOGIN_RATE_LIMIT_PER_MINUTE });
  registerAuthRoutes(app, { auth, loginLimit: settings.LOGIN_RATE_LIMIT_PER_MINUTE, onLoginFailure: () => metrics.loginFailures.inc() });
  registerClusterRoutes(app, { clusters });
  registerConfigRoutes(app, { configs });
  registerCertificateRoutes(app, { certificates });
  registerAuditRoutes(app, { audit });
  registerEnrollmentRoutes(app, { enrollment: fleet.enrollment });
  registerNodeRoutes(app, { nodes: fleet.nodes });
  registerDeploymentRoutes(app, { deployments: fleet.deployments, bus: fleet.bus });
  registerServerStateRoutes(app, { serverState: fleet.serverState });
  return {
    app,
    services,
    /** Starts what needs the database: the agents' endpoint and the rollouts in progress. */
    start: () => fleet.start(store.db),
    async close(): Promise<void> {
      await fleet.close();
      await app.close();
    },
  };
}

export type Master = Awaited<ReturnType<typeof composeMaster>>;

/** The settings that are set: an unset optional one must not override a default with undefined. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
