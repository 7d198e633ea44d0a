#!/usr/bin/env node
import nodeModule from "node:module";
import { processIo, StopRequest } from "./io.js";
import { runCli } from "./main.js";

// Node >= 22.1 keeps V8's compiled code of the modules loaded from here on, as TypeScript's own
// tsc does. Node 20 has no such cache; there this does nothing.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Ctrl-C, SIGTERM and a closed standard output (`varlink-ts call --more … | head -1`) end the
// command through its signal: a call closes its connection and exits as a killed process would
// (130, 143, 141), without a word; servers stop cleanly. A second Ctrl-C finds no handler and
// ends the process at once.
const stop = new AbortController();
process.once("SIGINT", () => stop.abort(new StopRequest("SIGINT", 130)));
process.once("SIGTERM", () => stop.abort(new StopRequest("SIGTERM", 143)));
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") process.stderr.write(`varlink-ts: cannot write to standard output: ${error.message}\n`);
  stop.abort(new StopRequest("EPIPE", error.code === "EPIPE" ? 141 : 1));
});
process.exitCode = await runCli(process.argv.slice(2), { ...processIo(), signal: stop.signal });
