#!/usr/bin/env node
// Only the environment parser and node:http load before the port is bound: /health must answer
// within a second of the process starting, whatever the rest takes to load (see serve.ts).
import { ConfigError, parseEnv, type Env } from "./config/env.js";
import { startEarlyListener } from "./server/early-listener.js";

const USAGE = `usage: ha-master [command]

commands:
  serve                    start the control plane (default)
  rotate-encryption-key    re-encrypt every stored private key under CERT_ENCRYPTION_KEY
                           (embedded mode: --generate makes a new key in the data directory)
  openapi                  print the REST API's OpenAPI document (what GET /openapi.json serves)
  help                     this text

Settings come from the environment; see docs/configuration.md.`;

async function serve(env: Env): Promise<void> {
  const early = startEarlyListener(env.HTTP_HOST, env.HTTP_PORT);
  await early.listening.catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError(
      err.code === "EADDRINUSE"
        ? `port ${env.HTTP_PORT} on ${env.HTTP_HOST} is already in use (set HTTP_PORT to another port)`
        : `cannot listen on ${env.HTTP_HOST}:${env.HTTP_PORT}: ${err.message}`,
    );
  });
  await import("reflect-metadata");
  const { resolveSettings } = await import("./config/secrets.js");
  const { serve: run } = await import("./serve.js");
  await run(await resolveSettings(env), early);
}

async function main(argv: string[]): Promise<number> {
  const [command = "serve", ...args] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === "openapi") {
    const { openapiDocument } = await import("./commands/openapi.js");
    const text = JSON.stringify(await openapiDocument(), null, 2) + "\n";
    // Exiting right after a write to a pipe would cut it short: wait until it is flushed.
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return 0;
  }
  const env = parseEnv(process.env);
  if (command === "serve") {
    await serve(env);
    return -1; // keeps running until a signal
  }
  if (command === "rotate-encryption-key") {
    const { rotateEncryptionKey } = await import("./commands/rotate-encryption-key.js");
    return rotateEncryptionKey(env, args);
  }
  process.stderr.write(`ha-master: unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`ha-master: ${message}\n`);
    process.exit(1);
  },
);
