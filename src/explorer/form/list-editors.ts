import { el } from "../dom.js";
import type { TypeModel } from "@varlink-ts/runtime/model";
import { below, own, type Editor, type EditorContext, type Problem, type Segments } from "./editor.js";
import { ProblemList } from "./problem-list.js";

// Arrays, maps and sets: rows that can be added and removed.

abstract class RowsEditor<Row extends { element: HTMLElement }> implements Editor {
  readonly element: HTMLElement;
  protected rows: Row[] = [];
  private readonly list = el("ol", { class: "rows" });
  private readonly problems = new ProblemList();

  constructor(addLabel: string) {
    const add = el("button", {
      class: "add",
      text: addLabel,
      attrs: { type: "button" },
      on: { click: () => this.add() },
    });
    this.element = el("div", { class: "list" }, this.problems.element, this.list, add);
  }

  protected abstract makeRow(): Row;

  protected add(): Row {
    const row = this.makeRow();
    const remove = el("button", {
      class: "remove",
      text: "remove",
      attrs: { type: "button" },
      on: { click: () => this.remove(row) },
    });
    row.element.append(remove);
    this.rows.push(row);
    this.list.append(el("li", {}, row.element));
    return row;
  }

  private remove(row: Row): void {
    const index = this.rows.indexOf(row);
    this.rows.splice(index, 1);
    this.list.children[index]?.remove();
  }

  protected clearRows(): void {
    this.rows = [];
    this.list.replaceChildren();
  }

  abstract read(problems: Problem[], at: Segments): unknown;
  abstract write(value: unknown): void;

  showProblems(problems: readonly Problem[]): void {
    this.problems.show(own(problems));
    this.showRowProblems(problems);
  }

  protected abstract showRowProblems(problems: readonly Problem[]): void;
}

interface ValueRow {
  element: HTMLElement;
  editor: Editor;
}

/** `[]T`: its elements in order. */
export class ArrayEditor extends RowsEditor<ValueRow> {
  constructor(
    private readonly type: TypeModel,
    private readonly context: EditorContext,
    private readonly depth: number,
  ) {
    super("add an element");
  }

  protected makeRow(): ValueRow {
    const editor = this.context.make(this.type, this.depth + 1);
    return { element: el("div", { class: "row" }, editor.element), editor };
  }

  read(problems: Problem[], at: Segments): unknown {
    return this.rows.map((row, index) => row.editor.read(problems, [...at, index]));
  }

  write(value: unknown): void {
    this.clearRows();
    if (Array.isArray(value)) for (const item of value) this.add().editor.write(item);
  }

  protected showRowProblems(problems: readonly Problem[]): void {
    this.rows.forEach((row, index) => {
      row.editor.showProblems(below(problems, index));
    });
  }
}

interface KeyedRow {
  element: HTMLElement;
  key: HTMLInputElement;
  keyProblems: ProblemList;
  editor?: Editor;
}

/** `[string]T`, or with no value type `[string]()`, a set of strings. */
export class MapEditor extends RowsEditor<KeyedRow> {
  constructor(
    private readonly type: TypeModel | undefined,
    private readonly context: EditorContext,
    private readonly depth: number,
  ) {
    super(type === undefined ? "add a string" : "add an entry");
  }

  protected makeRow(): KeyedRow {
    const key = el("input", { class: "key", attrs: { type: "text", spellcheck: "false", placeholder: "key" } });
    const keyProblems = new ProblemList();
    const editor = this.type !== undefined ? this.context.make(this.type, this.depth + 1) : undefined;
    const element = el(
      "div",
      { class: "row keyed" },
      el("div", { class: "editor" }, key, keyProblems.element),
      editor?.element,
    );
    return { element, key, keyProblems, ...(editor !== undefined ? { editor } : {}) };
  }

  read(problems: Problem[], at: Segments): unknown {
    const value: Record<string, unknown> = {};
    for (const row of this.rows) {
      const key = row.key.value;
      if (Object.hasOwn(value, key)) {
        problems.push({ segments: [...at, key], message: `the key ${JSON.stringify(key)} is given twice` });
        continue;
      }
      value[key] = row.editor !== undefined ? row.editor.read(problems, [...at, key]) : {};
    }
    return value;
  }

  write(value: unknown): void {
    this.clearRows();
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const row = this.add();
      row.key.value = key;
      row.editor?.write(item);
    }
  }

  /** A key's problems go to its first row (the value's, when there is a value editor). */
  protected showRowProblems(problems: readonly Problem[]): void {
    const seen = new Set<string>();
    for (const row of this.rows) {
      const key = row.key.value;
      const mine = seen.has(key) ? [] : below(problems, key);
      seen.add(key);
      if (row.editor !== undefined) {
        row.keyProblems.show([]);
        row.editor.showProblems(mine);
      } else row.keyProblems.show(mine.map((p) => p.message));
    }
  }
}
