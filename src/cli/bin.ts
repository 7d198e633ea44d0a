#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./main.js";

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), { ...processIo(), signal: stop.signal });
