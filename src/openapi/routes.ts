import type { AnswerName } from "./answers.js";

// The HTTP bridge's routes, the one place their paths are written: the bridge dispatches by this
// table (a handler per route name, a 405 with Allow for another method, a 404 for no route) and
// the OpenAPI document takes its paths and each operation's answers from it.

export type HttpMethod = "GET" | "HEAD" | "POST";

export interface Route {
  /** Below the bridge's base; a `{name}` segment matches any one segment and is passed on as `name`. */
  path: string;
  methods: readonly HttpMethod[];
  /** What the route may answer besides its 200, by name in the answers table. */
  answers: readonly AnswerName[];
  /** Served without the bearer token: the explorer's page and files carry no data. */
  public?: boolean;
  /** Served only with the explorer (--ui). */
  explorer?: boolean;
  /** Reached by a WebSocket upgrade only; a plain request finds nothing there. */
  upgrade?: boolean;
  /** In the OpenAPI document as one POST operation per method of each interface, `{method}` its qualified name. */
  perMethod?: boolean;
}

/** What every route may answer: a refused Host or Origin (403), a malformed path (400), a missing token, another method. */
const anyRoute = [
  "InvalidCall",
  "Unauthorized",
  "Refused",
  "MethodNotAllowed",
] as const satisfies readonly AnswerName[];
/** A route that asks a service, and so may get every failure of a call. */
const asksService = [
  ...anyRoute,
  "NotFound",
  "Failed",
  "NotImplemented",
  "Unreachable",
  "Unavailable",
  "Timeout",
] as const satisfies readonly AnswerName[];
const callAnswers = [...asksService, "NoReply", "TooLarge", "NotJson"] as const satisfies readonly AnswerName[];
const explorerFile: Route = {
  path: "",
  methods: ["GET", "HEAD"],
  answers: ["Refused", "InvalidCall"],
  public: true,
  explorer: true,
};

export const routes = {
  explorerPage: { ...explorerFile, path: "/" },
  explorerScript: { ...explorerFile, path: "/explorer/app.js" },
  explorerStyle: { ...explorerFile, path: "/explorer/app.css" },
  explorerServices: { path: "/explorer/services", methods: ["GET"], answers: anyRoute, explorer: true },
  health: { path: "/health", methods: ["GET"], answers: anyRoute },
  services: { path: "/services", methods: ["GET"], answers: anyRoute },
  service: { path: "/services/{service}", methods: ["GET"], answers: asksService },
  serviceInterface: { path: "/services/{service}/{interface}", methods: ["GET"], answers: asksService },
  // Without a service the bridge finds the one that has the interface: several is a 409.
  call: { path: "/call/{method}", methods: ["POST"], answers: [...callAnswers, "Ambiguous"], perMethod: true },
  serviceCall: { path: "/call/{service}/{method}", methods: ["POST"], answers: callAnswers, perMethod: true },
  bridgeOpenApi: { path: "/openapi.json", methods: ["GET"], answers: [...anyRoute, "Unreachable", "Failed"] },
  interfaceOpenApi: { path: "/openapi/{service}/{interface}", methods: ["GET"], answers: asksService },
  tunnel: {
    path: "/ws/services/{service}",
    methods: ["GET"],
    answers: ["InvalidCall", "Unauthorized", "Refused", "NotFound", "UpgradeRequired"],
    upgrade: true,
  },
} as const satisfies Record<string, Route>;

export type RouteName = keyof typeof routes;

/** The routes a plain request reaches: all but the WebSocket's. */
export type RequestRouteName = {
  [N in RouteName]: (typeof routes)[N] extends { upgrade: true } ? never : N;
}[RouteName];

/** `route`'s path with each `{name}` replaced by `values[name]`, %-encoded. */
export function routePath(route: Route, values: Readonly<Record<string, string>>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
}
