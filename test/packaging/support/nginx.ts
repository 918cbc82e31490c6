import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startProcess, waitFor, type Proc } from "../../support/processes.js";
import { DEPLOY, ROOT, scratch } from "./paths.js";

export const NGINX_BIN = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
export const TEMPLATE = join(DEPLOY, "frontend/nginx.conf");
export const WEB_DIST = join(ROOT, "packages/web/dist");
/** The document root the image serves (Dockerfile.frontend copies the console there). */
export const IMAGE_ROOT = "/usr/share/nginx/html";

/**
 * Renders the template the way the nginx image's entrypoint does (20-envsubst-on-templates.sh:
 * `envsubst` limited to the variables NGINX_ENVSUBST_FILTER lets through): `${NAME}` and
 * `$NAME` of those variables are replaced, everything else is left as written.
 */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    return Object.hasOwn(vars, name) ? vars[name]! : all;
  });
}

/** Variables the template uses in ${…} form. */
export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))].sort();
}

export function requireWebDist(): string {
  if (!existsSync(join(WEB_DIST, "index.html"))) {
    throw new Error(
      `the web console is not built (${WEB_DIST}/index.html is missing): run npm run build at the root. ` +
        "The frontend image and these tests serve that directory.",
    );
  }
  return WEB_DIST;
}

export interface NginxInstance {
  port: number;
  url: string;
  prefix: string;
  proc: Proc;
  stop(): Promise<void>;
}

/**
 * The main context of nginx-unprivileged's /etc/nginx/nginx.conf, with its paths moved into a
 * prefix directory: the server configuration under test is included inside http {} exactly as
 * the image includes conf.d/*.conf.
 */
function mainConfig(prefix: string, serverConf: string): string {
  return [
    "worker_processes 1;",
    `pid ${prefix}/nginx.pid;`,
    "error_log stderr notice;",
    "daemon off;",
    "events { worker_connections 256; }",
    "http {",
    "  include /etc/nginx/mime.types;",
    "  default_type application/octet-stream;",
    "  sendfile on;",
    "  keepalive_timeout 65;",
    `  access_log ${prefix}/access.log;`,
    `  client_body_temp_path ${prefix}/client_temp;`,
    `  proxy_temp_path ${prefix}/proxy_temp;`,
    `  fastcgi_temp_path ${prefix}/fastcgi_temp;`,
    `  uwsgi_temp_path ${prefix}/uwsgi_temp;`,
    `  scgi_temp_path ${prefix}/scgi_temp;`,
    `  include ${serverConf};`,
    "}",
    "",
  ].join("\n");
}

/** Writes a test instance's files: the rendered server config and the main config around it. */
export function prepareNginx(opts: { port: number; upstream: string; root: string }): { prefix: string; conf: string; server: string } {
  const prefix = scratch("nginx");
  chmodSync(prefix, 0o755);
  const server = renderTemplate(readFileSync(TEMPLATE, "utf8"), {
    HAMASTER_UPSTREAM: opts.upstream,
    NGINX_PORT: `127.0.0.1:${opts.port}`,
  });
  // The one difference from the image: the console's files are where the build put them.
  if (!server.includes(`root ${IMAGE_ROOT};`)) throw new Error(`the template no longer serves ${IMAGE_ROOT}`);
  const serverConf = join(prefix, "default.conf");
  writeFileSync(serverConf, server.replace(`root ${IMAGE_ROOT};`, `root ${opts.root};`));
  const conf = join(prefix, "nginx.conf");
  writeFileSync(conf, mainConfig(prefix, serverConf));
  mkdirSync(join(prefix, "logs"), { recursive: true });
  return { prefix, conf, server: serverConf };
}

/** `nginx -t` on a prepared instance; returns its output, throws with it on failure. */
export function nginxTest(prefix: string, conf: string): string {
  try {
    return execFileSync(NGINX_BIN, ["-t", "-p", prefix, "-c", conf], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) || "";
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`nginx -t failed: ${e.stderr ?? ""}${e.stdout ?? ""}${e.message}`);
  }
}

export async function startNginx(opts: { port: number; upstream: string; root: string }): Promise<NginxInstance> {
  if (!existsSync(NGINX_BIN)) throw new Error(`nginx not found at ${NGINX_BIN} (apt-get install nginx)`);
  const { prefix, conf } = prepareNginx(opts);
  nginxTest(prefix, conf);
  const proc = startProcess(NGINX_BIN, ["-p", prefix, "-c", conf], {});
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor(() => `nginx on ${url} (output: ${proc.output()})`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`nginx exited: ${proc.output()}`);
    const res = await fetch(`${url}/healthz`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  });
  return {
    port: opts.port,
    url,
    prefix,
    proc,
    async stop() {
      // SIGQUIT: graceful shutdown of nginx's workers.
      await proc.stop("SIGQUIT");
    },
  };
}
