#!/usr/bin/env node
// The `hactl` binary: hands the real process to runCli and exits with its code.
import { runCli } from "./program.js";
import { defaultConfigPath, FileConfigStore } from "./session/file-config-store.js";

const exitCode = await runCli(
  {
    io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
    store: new FileConfigStore(process.env["HACTL_CONFIG"] || defaultConfigPath(process.env)),
    now: Date.now,
  },
  process.argv.slice(2),
);
process.exitCode = exitCode;
