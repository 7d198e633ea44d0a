import { el } from "../dom.js";

/** Where an editor shows the problems with its own value. */
export class ProblemList {
  readonly element = el("ul", { class: "problems", attrs: { role: "alert" } });

  show(messages: readonly string[]): void {
    this.element.replaceChildren(...messages.map((message) => el("li", { class: "field-error", text: message })));
  }
}
