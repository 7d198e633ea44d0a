import { parseJson, stringifyJson } from "@varlink-ts/runtime";
import { el } from "../dom.js";
import type { EnumValueModel } from "@varlink-ts/runtime/model";
import { own, type Editor, type Problem, type Segments } from "./editor.js";
import { ProblemList } from "./problem-list.js";

// Editors for values that hold no others. They read what was typed as the closest value and
// leave judging it to validation, which says what was expected where ("expected int, got "x"").

abstract class InputEditor implements Editor {
  readonly element: HTMLElement;
  protected readonly problems = new ProblemList();

  constructor(protected readonly input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement) {
    this.element = el("div", { class: "editor" }, input, this.problems.element);
  }

  abstract read(problems: Problem[], at: Segments): unknown;
  abstract write(value: unknown): void;

  showProblems(problems: readonly Problem[]): void {
    const messages = own(problems);
    this.problems.show(messages);
    this.input.classList.toggle("invalid", messages.length > 0);
  }
}

export class BoolEditor extends InputEditor {
  constructor() {
    super(el("input", { attrs: { type: "checkbox" } }));
  }
  read(): unknown {
    return (this.input as HTMLInputElement).checked;
  }
  write(value: unknown): void {
    (this.input as HTMLInputElement).checked = value === true;
  }
}

/** An int as typed: a bigint when it is one (so 2^64-1 stays exact), else the text, for validation to refuse. */
export class IntEditor extends InputEditor {
  constructor() {
    super(el("input", { attrs: { type: "text", inputmode: "numeric", spellcheck: "false", placeholder: "int" } }));
  }
  read(): unknown {
    const text = this.input.value.trim();
    if (text === "") return undefined;
    return /^-?\d+$/.test(text) ? BigInt(text) : text;
  }
  write(value: unknown): void {
    this.input.value =
      typeof value === "bigint" || typeof value === "number"
        ? String(value)
        : value === undefined || value === null
          ? ""
          : stringifyJson(value);
  }
}

export class FloatEditor extends InputEditor {
  constructor() {
    super(el("input", { attrs: { type: "text", inputmode: "decimal", spellcheck: "false", placeholder: "float" } }));
  }
  read(): unknown {
    const text = this.input.value.trim();
    if (text === "") return undefined;
    return /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
  }
  write(value: unknown): void {
    this.input.value =
      typeof value === "number" || typeof value === "bigint"
        ? String(value)
        : value === undefined || value === null
          ? ""
          : stringifyJson(value);
  }
}

export class StringEditor extends InputEditor {
  constructor() {
    super(el("input", { attrs: { type: "text", spellcheck: "false", placeholder: "string" } }));
  }
  read(): unknown {
    return this.input.value;
  }
  write(value: unknown): void {
    this.input.value =
      typeof value === "string" ? value : value === undefined || value === null ? "" : stringifyJson(value);
  }
}

export class EnumEditor extends InputEditor {
  constructor(values: readonly EnumValueModel[]) {
    const select = el(
      "select",
      {},
      el("option", { text: "— choose —", attrs: { value: "" } }),
      ...values.map((value) =>
        el("option", {
          text: value.name,
          attrs: { value: value.name },
          ...(value.doc !== undefined ? { title: value.doc } : {}),
        }),
      ),
    );
    super(select);
  }
  read(): unknown {
    return this.input.value === "" ? undefined : this.input.value;
  }
  write(value: unknown): void {
    this.input.value = typeof value === "string" ? value : "";
  }
}

/** `object` and `any`: JSON typed in as it is, integers beyond 2^53 kept exact. */
export class JsonEditor extends InputEditor {
  constructor(kind: string) {
    super(
      el("textarea", { class: "json", attrs: { rows: "3", spellcheck: "false", placeholder: `${kind}, as JSON` } }),
    );
  }
  read(problems: Problem[], at: Segments): unknown {
    const text = this.input.value.trim();
    if (text === "") return undefined;
    try {
      return parseJson(text);
    } catch (error) {
      problems.push({ segments: at, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  }
  write(value: unknown): void {
    this.input.value = value === undefined ? "" : stringifyJson(value, 2);
  }
}
