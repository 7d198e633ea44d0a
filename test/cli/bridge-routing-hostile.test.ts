import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { describe, test, type TestContext } from "node:test";
import { startBridge, openFdsOf, type BridgeProcess } from "../helpers/bridge.js";
import { rawService, silentService, type RawAnswer } from "../helpers/raw-service.js";
import { eventually, socketAddress, startServer, testService } from "../helpers/runtime.js";

// What a careless caller or a hostile service can do to the routes that ask every bridged service
// on their own: /call/METHOD with no service named, /openapi.json and the explorer's list. Services
// that hang, die, hang up, lie in GetInfo or list the same interface; names that are huge or
// malformed; paths that try to climb out. What must hold: an answer within a bounded time, with a
// clear status and message, and nothing left open in the bridge (fds, child processes).

/** Every request here answers within this, or the test fails: the bridge's wait is 0.5 s (--timeout). */
const bounded = 4000;

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** One request on a connection of its own, closed after (Connection: close), so the bridge's fds can be counted. */
function request(url: string, path: string, init: { method?: string; body?: string } = {}): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const sent = http.request(
      `${url}${path}`,
      { method: init.method ?? "GET", agent: false, headers: { "Content-Type": "application/json" }, timeout: bounded },
      (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (text: string) => (body += text));
        response.on("end", () => resolve({ status: response.statusCode!, body, ms: Date.now() - started }));
      },
    );
    sent.on("timeout", () => sent.destroy(new Error(`no answer to ${path} within ${bounded} ms`)));
    sent.on("error", reject);
    sent.end(init.body);
  });
}

const call = (url: string, path: string, body = "{}"): Promise<Answer> =>
  request(url, `/call/${path}`, { method: "POST", body });

function message(answer: Answer): string {
  return (JSON.parse(answer.body) as { message: string }).message;
}

/** The bridge's child processes (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return (
          readFileSync(`/proc/${entry}/stat`, "utf8")
            .replace(/^.*\) /, "")
            .split(" ")[1] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function bridge(t: TestContext, services: Record<string, string>, extra: string[] = []): Promise<BridgeProcess> {
  const running = await startBridge([
    "--ui",
    "--timeout",
    "0.5",
    ...extra,
    ...Object.entries(services).flatMap(([name, address]) => ["--service", `${name}=${address}`]),
  ]);
  t.after(() => running.stop());
  return running;
}

async function tests(t: TestContext): Promise<string> {
  const running = await startServer([testService()]);
  t.after(() => running.server.close({ timeout: 0 }));
  return running.address;
}

/** GetInfo's reply naming `interfaces`; every other call an error reply, as a service without them answers. */
function claiming(interfaces: unknown): (method: string) => RawAnswer {
  return (method) =>
    method === "org.varlink.service.GetInfo"
      ? { parameters: { vendor: "liar", product: "liar", version: "1", url: "", interfaces } }
      : { error: "org.varlink.service.MethodNotFound", parameters: { method } };
}

describe("routing by interface, /openapi.json and the explorer's list, under hostile services and callers", () => {
  test("services that hang, die or hang up are skipped within the wait, and each is named with its reason", async (t) => {
    const silent = await silentService(t);
    const hangsUp = await rawService(t, () => "hang up");
    const running = await bridge(t, {
      tests: await tests(t),
      silent: silent.address,
      gone: socketAddress("gone.sock").address,
      hangsup: hangsUp.address,
    });
    const routed = await call(running.url, "org.example.test.Echo", '{"value": 1}');
    assert.equal(routed.status, 200);
    assert.ok(routed.ms < bounded);
    const missing = await call(running.url, "org.example.nothing.Call");
    assert.equal(missing.status, 502);
    assert.match(
      message(missing),
      /^no bridged service that answers has the interface 'org\.example\.nothing': silent is down \(no answer to GetInfo within 0\.5 s\); gone is down \(cannot connect to unix:\S+gone\.sock: no such socket\); hangsup is down \(the service closed the connection with calls pending\); name the service/,
    );
    const document = JSON.parse((await request(running.url, "/openapi.json")).body) as {
      "x-varlink-left-out": Record<string, string>;
    };
    assert.deepEqual(Object.keys(document["x-varlink-left-out"]), ["silent", "gone", "hangsup"]);
    const { services } = JSON.parse((await request(running.url, "/explorer/services")).body) as {
      services: Array<{ name: string; unreachable?: string }>;
    };
    assert.deepEqual(
      services.map((service) => service.unreachable !== undefined),
      [false, true, true, true],
    );
  });

  test("many requests at once while a service hangs share one GetInfo to it and all answer", async (t) => {
    const silent = await silentService(t);
    const running = await bridge(t, { tests: await tests(t), silent: silent.address });
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, value) => call(running.url, "org.example.test.Echo", `{"value": ${value}}`)),
      request(running.url, "/openapi.json"),
      request(running.url, "/explorer/services"),
    ]);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      Array<number>(14).fill(200),
    );
    assert.equal(silent.accepted, 1);
  });

  test("a service whose GetInfo lies about an interface gets the calls, and its error reply comes back as such", async (t) => {
    const running = await bridge(t, {
      tests: await tests(t),
      liar: (await rawService(t, claiming(["org.example.other"]))).address,
    });
    const answer = await call(running.url, "org.example.other.Ping");
    assert.equal(answer.status, 404);
    assert.deepEqual(JSON.parse(answer.body), {
      error: "org.varlink.service.MethodNotFound",
      parameters: { method: "org.example.other.Ping" },
    });
  });

  test("a service that claims another's interface makes it ambiguous: 409 naming both", async (t) => {
    const running = await bridge(t, {
      tests: await tests(t),
      liar: (await rawService(t, claiming(["org.example.test"]))).address,
    });
    const answer = await call(running.url, "org.example.test.Echo");
    assert.equal(answer.status, 409);
    assert.match(message(answer), /'org\.example\.test' is served by tests and liar/);
  });

  test("a GetInfo reply that is not GetInfo's shape is not trusted for routing, and the explorer says why", async (t) => {
    const running = await bridge(t, {
      tests: await tests(t),
      liar: (await rawService(t, claiming("org.example.test"))).address,
    });
    assert.equal((await call(running.url, "org.example.test.Echo", '{"value": 3}')).status, 200);
    const { services } = JSON.parse((await request(running.url, "/explorer/services")).body) as {
      services: Array<{ name: string; infoError?: string }>;
    };
    assert.match(services[1]!.infoError ?? "", /interfaces/);
  });

  test("a service that answers GetInfo but never describes its interfaces is left out of /openapi.json, and named", async (t) => {
    const mute = await rawService(t, (method) =>
      method === "org.varlink.service.GetInfo" ? claiming(["org.example.mute"])(method) : "silence",
    );
    const running = await bridge(t, { tests: await tests(t), mute: mute.address });
    const answer = await request(running.url, "/openapi.json");
    assert.equal(answer.status, 200);
    const document = JSON.parse(answer.body) as {
      paths: Record<string, unknown>;
      "x-varlink-left-out": Record<string, string>;
    };
    assert.ok("/call/tests/org.example.test.Echo" in document.paths);
    assert.deepEqual(document["x-varlink-left-out"], {
      mute: "its interfaces could not be described: no reply within 500 ms",
    });
    const { services } = JSON.parse((await request(running.url, "/explorer/services")).body) as {
      services: Array<{ name: string; undescribed: unknown[] }>;
    };
    assert.deepEqual(services[1]!.undescribed, [{ name: "org.example.mute", reason: "no reply within 500 ms" }]);
  });

  test("a GetInfo that lists thousands of interfaces with huge names still routes, quickly", async (t) => {
    const names = Array.from({ length: 2000 }, (_, i) => `org.example.${"x".repeat(200)}${i}`);
    const running = await bridge(t, { tests: await tests(t), many: (await rawService(t, claiming(names))).address });
    assert.equal((await call(running.url, "org.example.test.Echo", '{"value": 4}')).status, 200);
    const routed = await call(running.url, `${names[1999]!}.Call`);
    assert.equal(routed.status, 404);
    assert.deepEqual(JSON.parse(routed.body), {
      error: "org.varlink.service.MethodNotFound",
      parameters: { method: `${names[1999]!}.Call` },
    });
  });

  test("malformed, huge and climbing paths get a clear answer without asking any service again", async (t) => {
    const silent = await silentService(t);
    const running = await bridge(t, { tests: await tests(t), silent: silent.address });
    const cases: Array<[string, number, RegExp]> = [
      ["not-a-method", 400, /'not-a-method' is not a method name/],
      ["org.example.test.", 400, /is not a method name/],
      ["..%2Forg.example.test.Echo", 400, /'\.\.\/org\.example\.test\.Echo' is not a method name/],
      ["tests%2Forg.example.test.Echo", 400, /is not a method name/],
      ["%E0%A4%A", 400, /malformed %-escape/],
      ["%00.Echo", 400, /is not a method name/],
      ["/org.example.test.Echo", 404, /no service named '' is bridged/],
      ["nobody/org.example.test.Echo", 404, /no service named 'nobody' is bridged/],
      ["a/b/org.example.test.Echo", 404, /call routes are \/call\/METHOD and \/call\/SERVICE\/METHOD/],
      // A well-formed name of 6 KB: routed like any other (silent is down: it might have it).
      [`${"a.".repeat(3000)}b.Call`, 502, /silent is down/],
    ];
    for (const [path, status, reason] of cases) {
      const answer = await call(running.url, path);
      assert.equal(answer.status, status, path.slice(0, 40));
      assert.match(message(answer), reason, path.slice(0, 40));
    }
    // Longer than Node reads in headers: refused before routing.
    assert.equal((await call(running.url, `${"a.".repeat(20_000)}b.Call`)).status, 431);
    assert.equal(silent.accepted, 1, "only the one bounded GetInfo reached the silent service");
  });

  test("/openapi.json and the explorer's list take GET only, and nothing below them", async (t) => {
    const running = await bridge(t, { tests: await tests(t) });
    assert.equal((await request(running.url, "/openapi.json", { method: "POST", body: "{}" })).status, 405);
    assert.equal((await request(running.url, "/explorer/services", { method: "DELETE" })).status, 405);
    assert.equal((await request(running.url, "/openapi.json/..%2F..%2Fetc%2Fpasswd")).status, 404);
    assert.equal((await request(running.url, "/explorer/services/tests")).status, 404);
  });

  test("after all of it, the bridge holds no more fds and no child processes than before", async (t) => {
    const silent = await silentService(t);
    // A program that never answers: each connection to it is a process the bridge must end.
    const running = await bridge(t, {
      tests: await tests(t),
      silent: silent.address,
      sleeper: "exec:/bin/sleep 600",
      gone: socketAddress("gone.sock").address,
    });
    const fds = openFdsOf(running.pid);
    await Promise.all([
      call(running.url, "org.example.test.Echo", '{"value": 5}'),
      call(running.url, "org.example.nothing.Call"),
      request(running.url, "/openapi.json"),
      request(running.url, "/explorer/services"),
      call(running.url, "not-a-method"),
      call(running.url, "sleeper/org.example.test.Echo"),
    ]);
    await eventually(() => childrenOf(running.pid).length === 0, "the bridge has no child processes left", bounded);
    await eventually(
      () => openFdsOf(running.pid) === fds,
      `the bridge's fds return to ${fds} (now ${openFdsOf(running.pid)})`,
      bounded,
    );
  });
});
