import { el } from "../dom.js";
import type { TypeModel } from "@varlink-ts/runtime/model";
import { own, type Editor, type EditorContext, type Problem, type Segments } from "./editor.js";
import { ProblemList } from "./problem-list.js";

/** `?T`: left out until ticked; its editor is made on first use, so recursive types stay finite. */
export class OptionalEditor implements Editor {
  readonly element: HTMLElement;
  private readonly toggle = el("input", { attrs: { type: "checkbox" } });
  private readonly holder = el("div", { class: "optional-value" });
  private readonly problems = new ProblemList();
  private inner: Editor | undefined;

  constructor(
    private readonly type: TypeModel,
    private readonly context: EditorContext,
    private readonly depth: number,
  ) {
    this.toggle.addEventListener("change", () => this.update());
    this.element = el(
      "div",
      { class: "optional" },
      el("label", { class: "set" }, this.toggle, el("span", { text: "set (otherwise left out)" })),
      this.problems.element,
      this.holder,
    );
    this.update();
  }

  private update(): void {
    if (this.toggle.checked && this.inner === undefined) {
      this.inner = this.context.make(this.type, this.depth + 1);
      this.holder.append(this.inner.element);
    }
    this.holder.hidden = !this.toggle.checked;
  }

  read(problems: Problem[], at: Segments): unknown {
    return this.toggle.checked && this.inner !== undefined ? this.inner.read(problems, at) : undefined;
  }

  write(value: unknown): void {
    this.toggle.checked = value !== undefined && value !== null;
    this.update();
    if (this.toggle.checked) this.inner!.write(value);
  }

  /** A set value's problems are its editor's to show. */
  showProblems(problems: readonly Problem[]): void {
    const shownInside = this.toggle.checked && this.inner !== undefined;
    this.problems.show(shownInside ? [] : own(problems));
    this.inner?.showProblems(shownInside ? problems : []);
  }
}
