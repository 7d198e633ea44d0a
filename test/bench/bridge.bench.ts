import path from "node:path";
import { ConnectionError, connectWebSocket, HttpConnection, SocketConnection, type VarlinkConnection } from "@varlink-ts/runtime";
import { startBridge } from "../helpers/bridge.js";
import { startUserdbd, userdbAddress, userdbService } from "../helpers/userdbd.js";
import { median } from "./measure.js";

// npm run bench:bridge: calls per second to systemd-userdbd (GetUserRecord for root) directly
// over its socket, and through `varlink-ts bridge http` in simple mode (HTTP keep-alive) and in
// WebSocket mode, with the same number of calls in flight, in one run, alternating, each after
// a second's untimed warm-up. With BENCH_BASELINE=DIR, another built checkout's bridge too.

const inFlight = 16;
const seconds = 2;
const warmUpSeconds = 1;
const rounds = 3;

/**
 * Calls per second with `inFlight` calls kept outstanding for `seconds`. userdbd's workers end
 * now and then, closing their connections: a lost connection is opened again, and counted.
 */
async function rate(open: () => Promise<VarlinkConnection>): Promise<number> {
  let connection = open();
  let done = 0;
  const run = async (until: number): Promise<void> => {
    while (performance.now() < until) {
      const current = connection;
      try {
        await (await current).call("io.systemd.UserDatabase.GetUserRecord", { userName: "root", service: userdbService });
        done++;
      } catch (error) {
        if (!(error instanceof ConnectionError)) throw error;
        if (connection === current) {
          reconnects++;
          connection = open();
        }
      }
    }
  };
  // Untimed first: systemd-userdbd starts a worker process per connection, and new ones slowly.
  const warm = performance.now() + warmUpSeconds * 1000;
  await Promise.all(Array.from({ length: inFlight }, () => run(warm)));
  done = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => run(start + seconds * 1000)));
  const elapsed = (performance.now() - start) / 1000;
  await (await connection).close();
  return done / elapsed;
}

let reconnects = 0;

const daemon = await startUserdbd();
if (daemon.unavailable) {
  console.log(`${daemon.unavailable}: nothing to measure`);
  process.exitCode = 1;
} else {
  const bridge = await startBridge(["--service", `userdb=${userdbAddress}`]);
  const direct = (): Promise<VarlinkConnection> => SocketConnection.connect(userdbAddress);
  const http = async (): Promise<VarlinkConnection> => new HttpConnection(bridge.url, { service: "userdb" });
  const ws = (): Promise<VarlinkConnection> => connectWebSocket(`ws://127.0.0.1:${bridge.port}/ws/services/userdb`);
  // BENCH_BASELINE=DIR: another built checkout's bridge, measured in the same rounds.
  const baseline = process.env["BENCH_BASELINE"];
  const old = baseline !== undefined ? await startBridge(["--service", `userdb=${userdbAddress}`], {}, path.join(path.resolve(baseline), "dist", "bin", "bin.js")) : undefined;
  const samples: Record<string, number[]> = { direct: [], http: [], ws: [], "baseline http": [], "baseline ws": [] };
  for (let round = 0; round < rounds; round++) {
    samples["direct"]!.push(await rate(direct));
    samples["http"]!.push(await rate(http));
    samples["ws"]!.push(await rate(ws));
    if (old === undefined) continue;
    samples["baseline http"]!.push(await rate(async () => new HttpConnection(old.url, { service: "userdb" })));
    samples["baseline ws"]!.push(await rate(() => connectWebSocket(`ws://127.0.0.1:${old.port}/ws/services/userdb`)));
  }
  const [d, h, w] = (["direct", "http", "ws"] as const).map((name) => median(samples[name]!));
  console.log(`GetUserRecord(root) on systemd-userdbd, ${inFlight} calls in flight, median of ${rounds} × ${seconds} s, alternating:`);
  console.log(`  direct (unix socket)          ${d!.toFixed(0)} calls/s`);
  console.log(`  bridge, simple mode (HTTP)    ${h!.toFixed(0)} calls/s   ratio to direct ${(h! / d!).toFixed(2)}`);
  console.log(`  bridge, WebSocket mode        ${w!.toFixed(0)} calls/s   ratio to direct ${(w! / d!).toFixed(2)}`);
  if (old !== undefined) {
    const [bh, bw] = [median(samples["baseline http"]!), median(samples["baseline ws"]!)];
    console.log(`  A/B against ${baseline}: HTTP ${h!.toFixed(0)} vs ${bh.toFixed(0)} calls/s, ratio ${(h! / bh).toFixed(2)}; WebSocket ${w!.toFixed(0)} vs ${bw.toFixed(0)}, ratio ${(w! / bw).toFixed(2)}`);
    await old.stop();
  }
  if (reconnects > 0) console.log(`  (the service closed a connection ${reconnects} times; each was opened again)`);
  await bridge.stop();
  await daemon.stop();
}
