#!/usr/bin/env node
// The `ha-agent` binary. Everything lives in cli/; this file only hands it the arguments.
import { runCli } from "./cli/program.js";

await runCli(process.argv);
