// The explorer page (varlink-ts bridge http --ui): lists the bridged services and calls them
// through the bridge's routes, with the runtime's browser entry.
import "./app.css";
import { loadModel, saveToken, Unauthorized } from "./api.js";
import { clear, el } from "./dom.js";
import { takeChosen } from "./history.js";
import { landing } from "./landing.js";
import { methodView } from "./method-view.js";
import { methodsOf, type ExplorerModel } from "./model.js";
import { callHash, readHash } from "./share.js";
import { sidebar } from "./sidebar.js";

const app = document.getElementById("app")!;

function tokenForm(): HTMLElement {
  const input = el("input", { attrs: { type: "password", autocomplete: "off", "aria-label": "bridge token" } });
  const submit = (event: Event): void => {
    event.preventDefault();
    saveToken(input.value);
    void start();
  };
  return el(
    "form",
    { class: "token", on: { submit } },
    el("p", { text: "This bridge asks for its token." }),
    input,
    el("button", { class: "primary", text: "Use this token", attrs: { type: "submit" } }),
  );
}

/** Opens the method the address names (#SERVICE/INTERFACE.Method, maybe ?PARAMETERS), or asks to pick one. */
function show(model: ExplorerModel, main: HTMLElement): void {
  const { service, method, parameters } = readHash(location.hash);
  const owner = model.services
    .find((s) => s.name === service)
    ?.interfaces.find(
      ({ model: i }) => method?.startsWith(`${i.name}.`) && methodsOf(i).some((m) => `${i.name}.${m.name}` === method),
    )?.model;
  const found = owner === undefined ? undefined : methodsOf(owner).find((m) => `${owner.name}.${m.name}` === method);
  const past = service !== undefined && method !== undefined ? takeChosen(service, method) : undefined;
  clear(
    main,
    owner !== undefined && found !== undefined && service !== undefined
      ? methodView(service, owner, found, parameters, past)
      : landing(model),
  );
  const open = service !== undefined && method !== undefined ? callHash(service, method) : undefined;
  for (const link of document.querySelectorAll<HTMLAnchorElement>(".method-link"))
    link.classList.toggle("current", link.hash === open);
}

async function start(): Promise<void> {
  let model: ExplorerModel;
  try {
    model = await loadModel();
  } catch (error) {
    clear(
      app,
      error instanceof Unauthorized
        ? tokenForm()
        : el("p", { class: "failure", text: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  const main = el("main", { class: "content" });
  // On a narrow window the services fold away behind this button (see app.css).
  const toggle = el("button", {
    class: "menu-toggle",
    text: "Services",
    attrs: { type: "button", "aria-expanded": "false" },
  });
  const fold = (open: boolean): void => {
    app.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => fold(!app.classList.contains("menu-open")));
  clear(app, toggle, sidebar(model), main);
  window.onhashchange = () => {
    fold(false);
    show(model, main);
  };
  show(model, main);
}

void start();
