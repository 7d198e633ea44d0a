#!/usr/bin/env node
import nodeModule from "node:module";
import { processIo } from "./io.js";
import { runCli } from "./main.js";

// Node >= 22.1 keeps V8's compiled code of the modules loaded from here on, as TypeScript's own
// tsc does. Node 20 has no such cache; there this does nothing.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), { ...processIo(), signal: stop.signal });
