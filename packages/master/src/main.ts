#!/usr/bin/env node
import "reflect-metadata";
import { ConfigError, parseEnv } from "./config/env.js";
import { resolveSettings } from "./config/secrets.js";
import { serve } from "./serve.js";
import { rotateEncryptionKey } from "./commands/rotate-encryption-key.js";

const USAGE = `usage: ha-master [command]

commands:
  serve                    start the control plane (default)
  rotate-encryption-key    re-encrypt every stored private key under CERT_ENCRYPTION_KEY
                           (embedded mode: --generate makes a new key in the data directory)
  help                     this text

Settings come from the environment; see docs/configuration.md.`;

async function main(argv: string[]): Promise<number> {
  const [command = "serve", ...args] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = parseEnv(process.env);
  if (command === "serve") {
    await serve(await resolveSettings(env));
    return -1; // keeps running until a signal
  }
  if (command === "rotate-encryption-key") return rotateEncryptionKey(env, args);
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
