import { el } from "./dom.js";
import { historyPanel } from "./history.js";
import { camel, dotted, errorsHeading, modeBadges, serviceState } from "./labels.js";
import { callHash } from "./share.js";
import { docProse } from "@varlink-ts/runtime/model";
import {
  errorsOf,
  methodsOf,
  offeredModes,
  serviceInterface,
  type DescribedInterface,
  type ExplorerModel,
  type ExplorerService,
} from "./model.js";

// The services, their interfaces, methods and errors, with a filter and the session's calls. A
// method is a link (#SERVICE/METHOD) that opens it; the address bar keeps what is open.

export function sidebar(model: ExplorerModel): HTMLElement {
  const filter = el("input", {
    class: "filter",
    attrs: {
      type: "search",
      placeholder: "Filter methods",
      "aria-label": "filter methods",
      autocomplete: "off",
      spellcheck: "false",
    },
  });
  const services = model.services.map(serviceEntry);
  const none = el("p", { class: "hint no-match", text: "No method matches." });
  none.hidden = true;
  filter.addEventListener("input", () => {
    const words = filter.value
      .trim()
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word !== "");
    let shown = 0;
    for (const section of services) shown += applyFilter(section, words);
    none.hidden = shown > 0 || words.length === 0;
  });
  return el(
    "nav",
    { class: "sidebar", attrs: { "aria-label": "services" } },
    el("h1", {}, el("a", { class: "home", text: "varlink explorer", attrs: { href: "#" } })),
    filter,
    historyPanel(),
    ...services,
    none,
  );
}

/** Shows the methods whose service, interface and name hold every word; returns how many. */
function applyFilter(section: HTMLElement, words: readonly string[]): number {
  let shownInService = 0;
  for (const iface of section.querySelectorAll<HTMLDetailsElement>("details.interface")) {
    let shownInInterface = 0;
    for (const item of iface.querySelectorAll<HTMLElement>(".methods > li")) {
      const haystack = `${section.dataset["service"]} ${item.dataset["method"]}`.toLowerCase();
      item.hidden = !words.every((word) => haystack.includes(word));
      if (!item.hidden) shownInInterface++;
    }
    iface.hidden = shownInInterface === 0;
    // A match inside a closed interface is shown; clearing the filter leaves it as it was.
    if (words.length > 0 && shownInInterface > 0) iface.open = true;
    shownInService += shownInInterface;
  }
  section.hidden = words.length > 0 && shownInService === 0;
  return shownInService;
}

function serviceEntry(service: ExplorerService): HTMLElement {
  const state = serviceState(service);
  return el(
    "section",
    { class: "service", attrs: { "data-service": service.name } },
    el(
      "h2",
      {},
      el("span", {
        class: `dot ${state.kind}`,
        title:
          state.kind === "up"
            ? "reachable"
            : state.kind === "down"
              ? "cannot be reached"
              : "answers, but does not describe itself",
      }),
      service.name,
    ),
    el("p", { class: `info ${state.kind}` }, ...state.text),
    ...service.interfaces.map((iface) => interfaceEntry(service.name, iface)),
    ...service.undescribed.map((entry) => el("p", { class: "undescribed", text: `${entry.name}: ${entry.reason}` })),
  );
}

/** org.varlink.service, which every service has and which says the same everywhere: one line each, closed. */
function interfaceEntry(service: string, { model: iface, source }: DescribedInterface): HTMLElement {
  const shared = iface.name === serviceInterface;
  const doc = docProse(iface.doc);
  const errors = errorsOf(iface);
  return el(
    "details",
    {
      class: shared ? "interface shared" : "interface",
      attrs: { ...(shared ? {} : { open: "" }), "data-interface": iface.name },
    },
    el(
      "summary",
      {},
      dotted(iface.name),
      source === "file"
        ? el("span", {
            class: "badge",
            text: "from a file",
            title: "The service does not describe itself; the bridge was given this interface's file",
          })
        : null,
    ),
    doc !== undefined && !shared ? el("p", { class: "doc", text: doc }) : null,
    el(
      "ul",
      { class: "methods" },
      ...methodsOf(iface).map((method) => {
        const title = docProse(method.doc);
        return el(
          "li",
          { attrs: { "data-method": `${iface.name}.${method.name}` } },
          el(
            "a",
            {
              class: "method-link",
              attrs: { href: callHash(service, `${iface.name}.${method.name}`) },
              ...(title !== undefined ? { title } : {}),
            },
            ...camel(method.name),
          ),
          ...modeBadges(offeredModes(iface, method)),
        );
      }),
    ),
    errors.length > 0 && !shared
      ? el(
          "details",
          { class: "errors" },
          el("summary", { text: errorsHeading(errors.length) }),
          el(
            "ul",
            {},
            ...errors.map((error) => {
              const doc = docProse(error.doc);
              return el(
                "li",
                { class: "error-declaration", ...(doc !== undefined ? { title: doc } : {}) },
                el("code", { text: error.name }),
                doc !== undefined ? el("p", { class: "doc", text: doc }) : null,
              );
            }),
          ),
        )
      : null,
  );
}
