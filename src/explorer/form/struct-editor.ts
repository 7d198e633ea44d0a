import { el } from "../dom.js";
import { typeText, type FieldModel } from "@varlink-ts/runtime/model";
import { below, own, type Editor, type EditorContext, type Problem, type Segments } from "./editor.js";
import { ProblemList } from "./problem-list.js";

/** A struct: one labelled row per field, with its type and documentation. */
export class StructEditor implements Editor {
  readonly element: HTMLElement;
  private readonly fields: Array<{ field: FieldModel; editor: Editor }>;
  private readonly problems = new ProblemList();

  constructor(fields: readonly FieldModel[], context: EditorContext, depth: number) {
    this.fields = fields.map((field) => ({ field, editor: context.make(field.type, depth + 1) }));
    const rows = this.fields.map(({ field, editor }) =>
      el(
        "div",
        { class: "field", attrs: { "data-field": field.name } },
        el(
          "label",
          { class: "field-name" },
          el("span", { text: field.name }),
          el("code", { class: "field-type", text: typeText(field.type) }),
        ),
        field.doc !== undefined ? el("p", { class: "doc", text: field.doc }) : null,
        editor.element,
      ),
    );
    this.element = el(
      "div",
      { class: "struct" },
      this.problems.element,
      ...(rows.length > 0 ? rows : [el("p", { class: "empty", text: "no parameters" })]),
    );
  }

  read(problems: Problem[], at: Segments): unknown {
    const value: Record<string, unknown> = {};
    for (const { field, editor } of this.fields) {
      const fieldValue = editor.read(problems, [...at, field.name]);
      if (fieldValue !== undefined) value[field.name] = fieldValue;
    }
    return value;
  }

  write(value: unknown): void {
    const object =
      typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    for (const { field, editor } of this.fields)
      editor.write(Object.hasOwn(object, field.name) ? object[field.name] : undefined);
  }

  showProblems(problems: readonly Problem[]): void {
    this.problems.show(own(problems));
    for (const { field, editor } of this.fields) editor.showProblems(below(problems, field.name));
  }
}
