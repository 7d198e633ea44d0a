import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { matchRoute } from "../../src/cli/bridge/dispatch.js";
import { parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import { answers } from "../../src/openapi/answers.js";
import { openApiDocument, type OpenApiDocument } from "../../src/openapi/index.js";
import { routes, type Route } from "../../src/openapi/routes.js";
import { startBridge } from "../helpers/bridge.js";
import { repoRoot } from "../helpers/paths.js";
import { rawService } from "../helpers/raw-service.js";
import { startServer, testInterfaceText, testService } from "../helpers/runtime.js";

// Issue #30, 6: the bridge dispatches by one route table (src/openapi/routes.ts) and answers
// with the statuses of one answers table (src/openapi/answers.ts); the OpenAPI document takes its
// paths and each operation's statuses from the same two. So every status the bridge sends on a
// call route is one its table lists and one its document lists, and no path is served that the
// table does not hold.

const testModel = toInterfaceModel(parseInterface(testInterfaceText).definition!);
const token = "s3cret";
const every = (route: Route): boolean => route.upgrade !== true;

type Responses = Record<string, unknown>;
/** The responses the document gives for POST `pathname` (below the base), or undefined when it has no such path. */
function documented(document: OpenApiDocument, pathname: string): Responses | undefined {
  const item = (document["paths"] as Record<string, { post: { responses: Responses } } | undefined>)[pathname];
  return item?.post.responses;
}

describe("the bridge's route and answer tables", () => {
  test("each call route's operations list 200 and exactly the statuses of the route's answers", () => {
    for (const [route, service] of [
      [routes.call, undefined],
      [routes.serviceCall, "svc"],
    ] as const) {
      const document = openApiDocument([testModel], { service, bearer: true });
      const responses = documented(
        document,
        service === undefined ? "/call/org.example.test.Echo" : "/call/svc/org.example.test.Echo",
      )!;
      const statuses = ["200", ...route.answers.map((name) => String(answers[name].status))].sort();
      assert.deepEqual(Object.keys(responses).sort(), statuses, route.path);
    }
  });

  test("without a token the document does not list 401, as the bridge never sends it", () => {
    assert.equal(
      documented(openApiDocument([testModel], { service: "svc" }), "/call/svc/org.example.test.Echo")!["401"],
      undefined,
    );
  });

  test("every status the bridge sends on a call route is in its table and in its document", async (t) => {
    const tests = await startServer([testService()]);
    t.after(() => tests.server.close({ timeout: 0 }));
    // Claims org.example.test too (so /call/METHOD is ambiguous) and answers with the runtime's own errors.
    const info = {
      vendor: "test",
      product: "raw",
      version: "1",
      url: "",
      interfaces: ["org.varlink.service", "org.example.test"],
    };
    const raw = await rawService(t, (method) =>
      method === "org.varlink.service.GetInfo"
        ? { parameters: info }
        : method === "org.example.test.Echo"
          ? { error: "org.varlinkts.CallTooDeep", parameters: { limit: 512 } }
          : { error: "org.varlinkts.ShuttingDown", parameters: {} },
    );
    const bridge = await startBridge(
      [
        "--max-body",
        "1000",
        "--timeout",
        "1",
        "--service",
        `tests=${tests.address}`,
        "--service",
        `raw=${raw.address}`,
        "--service",
        "gone=unix:/nonexistent/varlink.sock",
      ],
      { VARLINK_TS_BRIDGE_TOKEN: token },
    );
    t.after(() => bridge.stop());
    const json = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
    const cases: Array<[string, number, string, RequestInit]> = [
      [
        "a oneway call",
        204,
        "/call/tests/org.example.test.Notify?oneway=true",
        { method: "POST", headers: json, body: '{"text": "x"}' },
      ],
      ["CallTooDeep", 400, "/call/raw/org.example.test.Echo", { method: "POST", headers: json, body: "{}" }],
      [
        "no token",
        401,
        "/call/tests/org.example.test.Echo",
        { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" },
      ],
      [
        "a page of another origin",
        403,
        "/call/tests/org.example.test.Echo",
        { method: "POST", headers: { ...json, Origin: "http://evil.example" }, body: "{}" },
      ],
      [
        "a service that is not bridged",
        404,
        "/call/nobody/org.example.test.Echo",
        { method: "POST", headers: json, body: "{}" },
      ],
      ["GET on a call route", 405, "/call/tests/org.example.test.Echo", { method: "GET", headers: json }],
      [
        "an interface two services have",
        409,
        "/call/org.example.test.Echo",
        { method: "POST", headers: json, body: "{}" },
      ],
      [
        "a body over --max-body",
        413,
        "/call/tests/org.example.test.Echo",
        { method: "POST", headers: json, body: JSON.stringify({ value: "x".repeat(2000) }) },
      ],
      [
        "a body not declared JSON",
        415,
        "/call/tests/org.example.test.Echo",
        { method: "POST", headers: { ...json, "Content-Type": "text/plain" }, body: "{}" },
      ],
      [
        "an error of the interface",
        500,
        "/call/tests/org.example.test.Fail",
        { method: "POST", headers: json, body: '{"kind": "declared"}' },
      ],
      [
        "MethodNotImplemented",
        501,
        "/call/tests/org.example.test.Unimplemented",
        { method: "POST", headers: json, body: "{}" },
      ],
      [
        "a service that cannot be reached",
        502,
        "/call/gone/org.example.test.Echo",
        { method: "POST", headers: json, body: "{}" },
      ],
      ["ShuttingDown", 503, "/call/raw/org.example.test.Count", { method: "POST", headers: json, body: '{"n": 1}' }],
      [
        "no reply within --timeout",
        504,
        "/call/tests/org.example.test.Slow",
        { method: "POST", headers: json, body: '{"ms": 5000}' },
      ],
    ];
    for (const [what, status, target, init] of cases) {
      const response = await fetch(`${bridge.url}${target}`, { ...init, signal: AbortSignal.timeout(8000) });
      await response.arrayBuffer();
      assert.equal(response.status, status, what);
      const pathname = new URL(target, "http://bridge").pathname;
      const match = matchRoute(pathname.split("/").slice(1).map(decodeURIComponent), every);
      assert.ok(match !== undefined, `${what}: ${pathname} is a route of the table`);
      assert.ok(
        match.route.answers.some((name) => answers[name].status === status),
        `${what}: the ${match.name} route's answers hold ${status}`,
      );
      const service = match.params["service"];
      const responses = documented(openApiDocument([testModel], { service, bearer: true }), pathname);
      assert.ok(
        responses?.[String(status)] !== undefined,
        `${what}: the document lists ${status} for POST ${pathname}`,
      );
    }
  });
});

/** Every word of the bridge's sources and of the route table that could be a path segment. */
function wordsOfBridgeSources(): string[] {
  const folder = path.join(repoRoot, "src", "cli", "bridge");
  const files = [
    ...readdirSync(folder)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => path.join(folder, name)),
    path.join(repoRoot, "src", "openapi", "routes.ts"),
  ];
  const words = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, "utf8").matchAll(/["'`/]([A-Za-z][\w.-]{0,40})(?=["'`/])/g))
      words.add(match[1]!);
  }
  return [...words];
}

describe("no path is served that the route table does not hold", () => {
  test("a request to any path built from the bridge's own words is either a table route or 'nothing is served'", async (t) => {
    const tests = await startServer([testService()]);
    t.after(() => tests.server.close({ timeout: 0 }));
    const bridge = await startBridge(["--ui", "--service", `tests=${tests.address}`]);
    t.after(() => bridge.stop());
    const words = wordsOfBridgeSources();
    assert.ok(
      words.includes("call") && words.includes("health") && words.includes("openapi.json"),
      "the words include the table's own",
    );
    const stray: string[] = [];
    const probe = async (segments: string[], method: string): Promise<void> => {
      const target = `/${segments.map(encodeURIComponent).join("/")}`;
      const response = await fetch(`${bridge.url}${target}`, {
        method,
        headers: { "Content-Type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(8000),
      });
      const text = await response.text();
      const inTable = matchRoute(segments, every) !== undefined;
      const nothing = response.status === 404 && text.includes("nothing is served");
      if (inTable === nothing) stray.push(`${method} ${target}: ${response.status} ${text.slice(0, 80)}`);
    };
    for (const word of words) {
      const paths = [[word], [word, "tests"], [word, "tests", "org.example.test"]];
      await Promise.all(paths.flatMap((segments) => ["GET", "POST"].map((method) => probe(segments, method))));
    }
    assert.deepEqual(stray, []);
  });
});
