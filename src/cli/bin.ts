#!/usr/bin/env node
import { packageVersion } from "./version.js";

// Node >= 22.1 keeps V8's compiled code of the modules loaded from here on, as TypeScript's own
// tsc does. Node 20 has no such cache; there this does nothing.
// (Taken from the process, not imported: see version.ts.)
(process.getBuiltinModule("node:module") as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const args = process.argv.slice(2);
// Scripts ask for the version to see what is installed: that answer needs no command-line parser
// (yargs and its text-width tables are most of the start-up), nor process.stdout (a stream, whose
// module costs as much again as the rest).
if (args.length === 1 && args[0] === "--version") process.exitCode = printVersion();
else {
  // Ctrl-C, SIGTERM and a closed standard output (`varlink-ts call --more … | head -1`) end the
  // command through its signal: a call closes its connection and exits as a killed process would
  // (130, 143, 141), without a word; servers stop cleanly. A second Ctrl-C finds no handler and
  // ends the process at once.
  const { processIo, StopRequest } = await import("./io.js");
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort(new StopRequest("SIGINT", 130)));
  process.once("SIGTERM", () => stop.abort(new StopRequest("SIGTERM", 143)));
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") process.stderr.write(`varlink-ts: cannot write to standard output: ${error.message}\n`);
    stop.abort(new StopRequest("EPIPE", error.code === "EPIPE" ? 141 : 1));
  });
  process.exitCode = await (await import("./main.js")).runCli(args, { ...processIo(), signal: stop.signal });
}

/** Writes the version to file descriptor 1; a closed standard output is exit code 141, as for the other commands. */
function printVersion(): number {
  try {
    process.getBuiltinModule("node:fs").writeSync(1, `${packageVersion}\n`);
    return 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A non-blocking pipe that is full: the stream waits where a plain write cannot.
    if (code === "EAGAIN") {
      process.stdout.write(`${packageVersion}\n`);
      return 0;
    }
    if (code !== "EPIPE")
      process.stderr.write(`varlink-ts: cannot write to standard output: ${(error as Error).message}\n`);
    return code === "EPIPE" ? 141 : 1;
  }
}
