import { el } from "./dom.js";
import { dotted, serviceState } from "./labels.js";
import { methodsOf, type ExplorerModel, type ExplorerService } from "./model.js";
import { callHash } from "./share.js";

// The page before a method is picked: every service at a glance, as a card: whether it can be
// reached, what its GetInfo says, and its interfaces with their method counts, each a link to
// the interface's first method.

export function landing(model: ExplorerModel): HTMLElement {
  const down = model.services.filter((service) => service.unreachable !== undefined).length;
  const counts = `${model.services.length} ${model.services.length === 1 ? "service" : "services"}${down > 0 ? `, ${down} cannot be reached` : ""}`;
  return el(
    "section",
    { class: "landing" },
    el("h2", { text: "Services" }),
    el("p", { class: "hint", text: `${counts}. Pick a method to call it.` }),
    el("div", { class: "cards" }, ...model.services.map(card)),
  );
}

function card(service: ExplorerService): HTMLElement {
  const state = serviceState(service);
  const info = service.info;
  const methods = service.interfaces.reduce((sum, { model }) => sum + methodsOf(model).length, 0);
  return el(
    "article",
    { class: `card ${state.kind}`, attrs: { "data-service": service.name } },
    el(
      "header",
      {},
      el("span", { class: `dot ${state.kind}` }),
      el("h3", { text: service.name }),
      el("span", {
        class: `state ${state.kind}`,
        text: state.kind === "down" ? "down" : state.kind === "no-info" ? "no GetInfo" : "reachable",
      }),
    ),
    el("p", { class: "info" }, ...state.text),
    info?.url ? el("p", { class: "url" }, el("code", { text: info.url })) : null,
    service.interfaces.length > 0
      ? el(
          "ul",
          { class: "card-interfaces" },
          ...service.interfaces.map(({ model }) => {
            const methods = methodsOf(model);
            return el(
              "li",
              {},
              methods.length > 0
                ? el(
                    "a",
                    { attrs: { href: callHash(service.name, `${model.name}.${methods[0]!.name}`) } },
                    dotted(model.name),
                  )
                : dotted(model.name),
              el("span", { class: "count", text: `${methods.length} ${methods.length === 1 ? "method" : "methods"}` }),
            );
          }),
        )
      : null,
    state.kind !== "down"
      ? el("p", {
          class: "totals",
          text: `${service.interfaces.length} ${service.interfaces.length === 1 ? "interface" : "interfaces"}, ${methods} ${methods === 1 ? "method" : "methods"}`,
        })
      : null,
    ...service.undescribed.map((entry) => el("p", { class: "undescribed", text: `${entry.name}: ${entry.reason}` })),
  );
}
