import { pino, type Logger } from "pino";

/** The agent's logger type; every module takes one instead of creating its own. */
export type AgentLogger = Logger;

/** Log levels the agent accepts on its command line and in its config file. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Creates the agent's JSON logger. Key material never reaches a log call, but the paths are
 * redacted anyway so a careless `log.debug({ credentials })` cannot leak a private key.
 */
export function createLogger(level: LogLevel = "info", destination?: NodeJS.WritableStream): AgentLogger {
  const options = {
    level,
    base: { component: "ha-agent" },
    redact: {
      paths: ["keyPem", "*.keyPem", "credentials.keyPem", "token", "*.token", "privateKey", "*.privateKey"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything: for tests and in-process simulations. */
export function silentLogger(): AgentLogger {
  return pino({ level: "silent" });
}
