import { openSync } from "node:fs";
import { intercept, SocketConnection, type CallOptions, type ClientInterceptor } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";

// Our client under the same load as ../shared/bench/rawbench.mjs: N calls, `depth` in flight,
// one JSON line in the same shape. BENCH_INTERCEPTED=1: through one pass-through interceptor.
// BENCH_FDS=addon: on @varlink-ts/unix-fds's socket; BENCH_FDS=one: that, and one fd per call.

const [address, method, params = "{}", nText = "20000", depthText = "1"] = process.argv.slice(2);
const passThrough: ClientInterceptor = (next) => (call) => next(call);
const n = Number(nText);
const depth = Number(depthText);
const parameters = JSON.parse(params) as object;
const fdMode = process.env["BENCH_FDS"];
const connection = await SocketConnection.connect(address!, fdMode === undefined ? {} : { fdPassing: unixFds });
const callOptions: CallOptions | undefined = fdMode === "one" ? { fds: [openSync("/dev/null", "r")] } : undefined;
const client = process.env["BENCH_INTERCEPTED"] === "1" ? intercept(connection, [passThrough]) : connection;
const start = process.hrtime.bigint();
let sent = 0;
async function worker(): Promise<void> {
  while (sent < n) {
    sent++;
    await client.call(method!, parameters, callOptions);
  }
}
await Promise.all(Array.from({ length: depth }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  JSON.stringify({
    method,
    n,
    depth,
    seconds: +seconds.toFixed(3),
    callsPerSec: Math.round(n / seconds),
    usPerCall: +((seconds * 1e6) / n).toFixed(1),
  }),
);
await client.close();
