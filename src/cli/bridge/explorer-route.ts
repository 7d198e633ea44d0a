import type { IncomingMessage, ServerResponse } from "node:http";
import type { VarlinkConnection } from "@varlink-ts/runtime";
import type { ExplorerModel } from "../../explorer/model.js";
import type { ExplorerAssets } from "./explorer-assets.js";
import { explorerService } from "./explorer-model.js";
import type { InterfaceFiles } from "./interface-files.js";
import { sendJson } from "./responses.js";
import type { ServiceProbes } from "./service-probe.js";

// The explorer (--ui): a page at <base>/ that lists the bridged services and calls them through
// the bridge's own routes. The page and its files carry no data and are served without the
// token; what the page reads (GET <base>/explorer/services) asks for it like every other route.

/** The page may load only its own script and style, talk only to the bridge, and never be framed. */
const pageHeaders = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>varlink explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="explorer/app.css">
</head>
<body>
<div id="app"><p class="loading">Loading the services…</p></div>
<script type="module" src="explorer/app.js"></script>
</body>
</html>
`;

/** Serves the page and its files; false when `segments` is none of them. */
export function serveExplorerFiles(
  segments: readonly string[],
  request: IncomingMessage,
  response: ServerResponse,
  assets: ExplorerAssets,
): boolean {
  const file =
    segments.length === 0 ? "page" : segments.length === 2 && segments[0] === "explorer" ? segments[1] : undefined;
  const [type, body] =
    file === "page"
      ? ["text/html", page]
      : file === "app.js"
        ? ["text/javascript", assets.script]
        : file === "app.css"
          ? ["text/css", assets.style]
          : [undefined, undefined];
  if (type === undefined || body === undefined) return false;
  // The page's relative links need its URL to end with a slash.
  const pathname = new URL(request.url ?? "/", "http://bridge").pathname;
  if (file === "page" && !pathname.endsWith("/")) {
    response.writeHead(308, { Location: `${pathname}/` }).end();
    return true;
  }
  response.writeHead(200, {
    "Content-Type": `${type}; charset=utf-8`,
    "Content-Length": Buffer.byteLength(body),
    ...pageHeaders,
  });
  response.end(request.method === "HEAD" ? undefined : body);
  return true;
}

/** GET <base>/explorer/services: every bridged service as the page shows it; one that is down is named, not waited for. */
export async function handleExplorerServices(
  probes: ServiceProbes,
  connectionTo: (service: string) => () => Promise<VarlinkConnection>,
  files: InterfaceFiles | undefined,
  response: ServerResponse,
): Promise<void> {
  const bounded = { timeout: probes.wait };
  const services = await Promise.all(
    (await probes.all()).map(({ service, probe }) =>
      explorerService(service, probe, connectionTo(service), files?.get(service), bounded),
    ),
  );
  const model: ExplorerModel = { services };
  sendJson(response, 200, model);
}
