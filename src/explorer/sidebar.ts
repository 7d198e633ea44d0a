import { el } from "./dom.js";
import { dotted, errorsHeading, modeBadges } from "./labels.js";
import { callHash } from "./share.js";
import type { ExplorerModel, ExplorerService } from "./model.js";

// The services, their interfaces, methods and errors. A method is a link (#SERVICE/METHOD) that
// opens it; the address bar keeps what is open.

export function sidebar(model: ExplorerModel): HTMLElement {
  return el("nav", { class: "sidebar", attrs: { "aria-label": "services" } }, el("h1", { text: "varlink explorer" }), ...model.services.map(serviceEntry));
}

function serviceEntry(service: ExplorerService): HTMLElement {
  const info = service.info;
  return el(
    "section",
    { class: "service", attrs: { "data-service": service.name } },
    el("h2", { text: service.name }),
    info !== undefined
      ? el("p", { class: "info", text: [info.vendor, info.product, info.version].filter((part) => part !== "").join(" · ") })
      : el("p", { class: "info unknown" }, "Does not describe itself: GetInfo failed with ", dotted(service.infoError ?? "an unknown error"), "."),
    ...service.interfaces.map((iface) =>
      el(
        "details",
        { class: "interface", attrs: { open: "", "data-interface": iface.name } },
        el("summary", {}, el("span", { text: iface.name }), iface.source === "file" ? el("span", { class: "badge", text: "from a file", title: "The service does not describe itself; the bridge was given this interface's file" }) : null),
        iface.doc !== undefined ? el("p", { class: "doc", text: iface.doc }) : null,
        el(
          "ul",
          { class: "methods" },
          ...iface.methods.map((method) =>
            el(
              "li",
              {},
              el("a", { class: "method-link", text: method.name, attrs: { href: callHash(service.name, `${iface.name}.${method.name}`) }, ...(method.doc !== undefined ? { title: method.doc } : {}) }),
              ...modeBadges(method),
            ),
          ),
        ),
        iface.errors.length > 0
          ? el(
              "details",
              { class: "errors" },
              el("summary", { text: errorsHeading(iface.errors.length) }),
              el("ul", {}, ...iface.errors.map((error) => el("li", { class: "error-declaration", ...(error.doc !== undefined ? { title: error.doc } : {}) }, el("code", { text: error.name }), error.doc !== undefined ? el("p", { class: "doc", text: error.doc }) : null))),
            )
          : null,
      ),
    ),
    ...service.undescribed.map((entry) => el("p", { class: "undescribed", text: `${entry.name}: ${entry.reason}` })),
  );
}
