import path from "node:path";
import {
  ConnectionError,
  connectWebSocket,
  HttpConnection,
  SocketConnection,
  type VarlinkConnection,
} from "@varlink-ts/runtime";
import { startBridge } from "../helpers/bridge.js";
import { startUserdbd, userdbAddress, userdbService } from "../helpers/userdbd.js";
import { median } from "./measure.js";

// npm run bench:bridge: calls per second to systemd-userdbd (GetUserRecord for root) directly
// over its socket, and through `varlink-ts bridge http` in simple mode (HTTP keep-alive) and in
// WebSocket mode, with the same number of calls in flight, in one run, alternating, each after
// a second's untimed warm-up. With BENCH_BASELINE=DIR, another built checkout's bridge too;
// BENCH_ROUNDS (default 3) sets the rounds.

const inFlight = 16;
const seconds = 2;
const warmUpSeconds = 1;
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3);

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
        await (await current).call("io.systemd.UserDatabase.GetUserRecord", {
          userName: "root",
          service: userdbService,
        });
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
  const old =
    baseline !== undefined
      ? await startBridge(
          ["--service", `userdb=${userdbAddress}`],
          {},
          path.join(path.resolve(baseline), "dist", "bin", "bin.js"),
        )
      : undefined;
  const samples: Record<string, number[]> = { direct: [], http: [], ws: [] };
  // A/B: each round measures a mode on both bridges back to back, the first one alternating, and
  // the ratio of the pair is the sample: userdbd's worker processes make rates drift between
  // rounds, and a ratio taken a few seconds apart cancels most of that.
  const ratios: Record<string, number[]> = { http: [], ws: [] };
  const pair = async (
    mode: "http" | "ws",
    ours: () => Promise<VarlinkConnection>,
    theirs: () => Promise<VarlinkConnection>,
    oursFirst: boolean,
  ): Promise<void> => {
    const base = oursFirst ? undefined : await rate(theirs);
    const mine = await rate(ours);
    samples[mode]!.push(mine);
    ratios[mode]!.push(mine / (base ?? (await rate(theirs))));
  };
  for (let round = 0; round < rounds; round++) {
    samples["direct"]!.push(await rate(direct));
    if (old === undefined) {
      samples["http"]!.push(await rate(http));
      samples["ws"]!.push(await rate(ws));
      continue;
    }
    await pair("http", http, async () => new HttpConnection(old.url, { service: "userdb" }), round % 2 === 0);
    await pair("ws", ws, () => connectWebSocket(`ws://127.0.0.1:${old.port}/ws/services/userdb`), round % 2 === 0);
  }
  const [d, h, w] = (["direct", "http", "ws"] as const).map((name) => median(samples[name]!));
  console.log(
    `GetUserRecord(root) on systemd-userdbd, ${inFlight} calls in flight, median of ${rounds} × ${seconds} s, alternating:`,
  );
  console.log(`  direct (unix socket)          ${d!.toFixed(0)} calls/s`);
  console.log(`  bridge, simple mode (HTTP)    ${h!.toFixed(0)} calls/s   ratio to direct ${(h! / d!).toFixed(2)}`);
  console.log(`  bridge, WebSocket mode        ${w!.toFixed(0)} calls/s   ratio to direct ${(w! / d!).toFixed(2)}`);
  if (old !== undefined) {
    const spread = (values: number[]): string =>
      `median ${median(values).toFixed(2)} (rounds ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
    console.log(`  A/B against ${baseline}, this bridge's rate over the baseline's, paired per round:`);
    console.log(`    HTTP ${spread(ratios["http"]!)}; WebSocket ${spread(ratios["ws"]!)}`);
    await old.stop();
  }
  if (reconnects > 0) console.log(`  (the service closed a connection ${reconnects} times; each was opened again)`);
  await bridge.stop();
  await daemon.stop();
}
