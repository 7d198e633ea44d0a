import { routes, type Route, type RouteName } from "../../openapi/routes.js";

// Finding a request's route in the route table (src/openapi/routes.ts). This file knows no
// route by name: every path the bridge serves is written in the table.

export interface Match {
  name: RouteName;
  route: Route;
  /** The path's segments where the route has `{name}`, by name. */
  params: Readonly<Record<string, string>>;
}

/** Which routes a bridge serves: the explorer's with --ui only, the WebSocket's on upgrade only. */
export type Serves = (route: Route) => boolean;

const table = Object.entries(routes).map(([name, route]: [string, Route]) => ({
  name: name as RouteName,
  route,
  pattern: route.path.split("/").filter((part) => part !== ""),
}));

/** The route whose path `segments` (below the base, decoded) fill, of those `serves` admits. */
export function matchRoute(segments: readonly string[], serves: Serves): Match | undefined {
  for (const { name, route, pattern } of table) {
    if (pattern.length !== segments.length || !fits(pattern, segments) || !serves(route)) continue;
    const params: Record<string, string> = {};
    pattern.forEach((part, index) => {
      if (part.startsWith("{")) params[part.slice(1, -1)] = segments[index]!;
    });
    return { name, route, params };
  }
  return undefined;
}

function fits(pattern: readonly string[], segments: readonly string[]): boolean {
  for (let index = 0; index < pattern.length; index++) {
    if (!pattern[index]!.startsWith("{") && pattern[index] !== segments[index]) return false;
  }
  return true;
}

export function allowsMethod(route: Route, method: string | undefined): boolean {
  return (route.methods as readonly string[]).includes(method ?? "");
}

/** Why nothing is served at `pathname`, naming the routes whose first segment it shares. */
export function nothingServed(pathname: string, segments: readonly string[], serves: Serves): string {
  const near =
    segments.length === 0
      ? []
      : table
          .filter(({ route, pattern }) => pattern[0] === segments[0] && serves(route))
          .map(({ route }) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => name.toUpperCase()));
  const nothing = `nothing is served at ${pathname}`;
  if (near.length === 0) return nothing;
  if (near.length === 1) return `${nothing}: the ${segments[0]} route is ${near[0]}`;
  return `${nothing}: ${segments[0]} routes are ${near.slice(0, -1).join(", ")} and ${near.at(-1)}`;
}
