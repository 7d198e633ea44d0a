import { ConnectionError, stringifyJson, VarlinkError } from "@varlink-ts/runtime";
import { clear, el } from "./dom.js";
import type { ExplorerInterface } from "./model.js";

// What a call brought back: its replies as they arrive, or its error by name and parameters.

export class Results {
  readonly element = el("section", { class: "results", attrs: { "aria-live": "polite" } });
  private replies: HTMLElement | undefined;
  private count = 0;

  constructor(private readonly owner: ExplorerInterface) {}

  start(what: string): void {
    this.count = 0;
    this.replies = el("ol", { class: "replies" });
    clear(this.element, el("p", { class: "status", text: what }), this.replies);
  }

  status(text: string): void {
    const status = this.element.querySelector(".status");
    if (status !== null) status.textContent = text;
  }

  reply(value: unknown): void {
    this.count++;
    this.replies?.append(el("li", { class: "reply" }, el("pre", { text: stringifyJson(value, 2) })));
  }

  get replyCount(): number {
    return this.count;
  }

  error(error: unknown): void {
    if (error instanceof VarlinkError) {
      const prefix = `${this.owner.name}.`;
      const declared = error.errorName.startsWith(prefix) ? this.owner.errors.find((e) => e.name === error.errorName.slice(prefix.length)) : undefined;
      this.element.append(
        el(
          "div",
          { class: "error-reply", attrs: { role: "alert" } },
          el("p", {}, el("span", { text: "Error " }), el("code", { class: "error-name", text: error.errorName })),
          declared?.doc !== undefined ? el("p", { class: "doc", text: declared.doc }) : null,
          el("pre", { class: "error-parameters", text: stringifyJson(error.parameters, 2) }),
        ),
      );
    } else {
      const message = error instanceof ConnectionError || error instanceof Error ? error.message : String(error);
      this.element.append(el("div", { class: "failure", attrs: { role: "alert" } }, el("p", { text: message })));
    }
  }

  problems(messages: readonly string[]): void {
    clear(this.element, el("div", { class: "not-sent", attrs: { role: "alert" } }, el("p", { text: `Not sent: ${messages.length === 1 ? "1 problem" : `${messages.length} problems`} with the parameters.` }), el("ul", {}, ...messages.map((m) => el("li", { text: m })))));
  }
}
