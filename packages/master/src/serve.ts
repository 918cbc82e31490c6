import type { Settings } from "./config/env.js";
import { openStore } from "./db/store.js";
import { CertificateAuthority } from "./ca/ca-service.js";
import { bootstrapAdmin } from "./auth/bootstrap-admin.js";
import { composeMaster } from "./compose.js";
import { readinessOf } from "./lib/readiness.js";
import { createLogger } from "./server/logger.js";
import { webConsoleDir } from "./server/web-console.js";
import type { EarlyListener } from "./server/early-listener.js";

/**
 * Starts the master: the HTTP server listens first (so /health answers within a second), then the
 * database opens and migrates in the background; requests that need it wait for it.
 */
export async function serve(settings: Settings, early: EarlyListener): Promise<void> {
  const logger = createLogger(settings.LOG_LEVEL);
  try {
    await CertificateAuthority.checkFiles(settings);
  } catch (err) {
    process.stderr.write(`ha-master: start-up failed: ${(err as Error).message}\n`);
    early.server.close();
    process.exit(1);
  }
  const store = openStore(
    settings.DATABASE_URL
      ? { kind: "postgres", url: settings.DATABASE_URL }
      : { kind: "embedded", dataDir: settings.HAMASTER_DATA_DIR },
  );
  const webDir = webConsoleDir(settings.HAMASTER_WEB_DIR);
  if (!webDir) logger.warn("web console not built; serving the API only");
  let master: Awaited<ReturnType<typeof composeMaster>> | undefined;
  const startup = store.opened.then(async () => {
    const admin = await bootstrapAdmin(store.db, settings.HAMASTER_ADMIN_PASSWORD);
    await master!.start();
    return admin;
  });
  master = await composeMaster({ ...settings, webDir, server: early }, store, logger, readinessOf(startup));
  const { app } = master;
  await app.ready();
  logger.info({ host: settings.HTTP_HOST, port: settings.HTTP_PORT, uptimeMs: Math.round(process.uptime() * 1000) }, "http ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await master!.close().catch((err: unknown) => logger.error({ err }, "close failed"));
    early.server.close();
    await store.close().catch((err: unknown) => logger.error({ err }, "database close failed"));
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  let admin: Awaited<typeof startup>;
  try {
    admin = await startup;
  } catch (err) {
    logger.fatal({ err }, "start-up failed");
    process.stderr.write(`ha-master: start-up failed: ${(err as Error).message}\n`);
    await app.close();
    early.server.close();
    process.exit(1);
  }
  logger.info({ database: store.kind, uptimeMs: Math.round(process.uptime() * 1000) }, "ready");
  printBanner(settings, store.kind, admin);
}

function printBanner(
  settings: Settings,
  database: string,
  admin: { username: string; generatedPassword?: string } | undefined,
): void {
  const host = settings.HTTP_HOST === "0.0.0.0" || settings.HTTP_HOST === "::" ? "localhost" : settings.HTTP_HOST;
  const lines = [
    "",
    `HA-Master is running: http://${host}:${settings.HTTP_PORT}/  (database: ${database === "embedded" ? `embedded, in ${settings.HAMASTER_DATA_DIR}` : "PostgreSQL"})`,
  ];
  if (admin?.generatedPassword) {
    lines.push(
      `First start: log in as "${admin.username}" with the password ${admin.generatedPassword}`,
      "This password is shown only now. Change it after logging in (or set HAMASTER_ADMIN_PASSWORD before the first start).",
    );
  } else if (admin) {
    lines.push(`First start: log in as "${admin.username}" with HAMASTER_ADMIN_PASSWORD.`);
  } else {
    lines.push("Log in with your user name and password; `hactl login --server http://" + host + ":" + settings.HTTP_PORT + "` for the CLI.");
  }
  process.stdout.write(lines.join("\n") + "\n\n");
}
