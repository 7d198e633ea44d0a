import { docProse, type InterfaceModel, type StructModel, type TypeModel } from "@varlink-ts/runtime/model";
import { el } from "./dom.js";
import { errorsHeading } from "./labels.js";
import { declaredType, errorsOf, type MethodMember } from "./model.js";

// A method's reference, as an API browser shows one: the reply's fields with their types, every
// named type linked to its declaration (listed below, with the types they use in turn), and the
// errors the interface declares. Links scroll within the page: the address keeps the method.

/** A type as the IDL writes it, each named type a link to its declaration. */
function typeNodes(type: TypeModel, link: (name: string) => HTMLElement): Array<Node | string> {
  switch (type.kind) {
    case "named":
      return [link(type.name)];
    case "array":
      return ["[]", ...typeNodes(type.element, link)];
    case "map":
      return ["[string]", ...typeNodes(type.value, link)];
    case "set":
      return ["[string]()"];
    case "nullable":
      return ["?", ...typeNodes(type.inner, link)];
    case "struct":
      return [
        "(",
        ...type.fields.flatMap((field, i) => [
          ...(i > 0 ? [", "] : []),
          `${field.name}: `,
          ...typeNodes(field.type, link),
        ]),
        ")",
      ];
    case "enum":
      return [`(${type.values.map((value) => value.name).join(", ")})`];
    default:
      return [type.kind];
  }
}

/** The named types `type` uses, directly or through the types it names, in order of first use. */
function namedTypes(model: InterfaceModel, roots: readonly TypeModel[]): string[] {
  const found: string[] = [];
  const visit = (type: TypeModel): void => {
    switch (type.kind) {
      case "named": {
        if (found.includes(type.name)) return;
        found.push(type.name);
        const declared = declaredType(model, type.name);
        if (declared !== undefined) visit(declared.type);
        return;
      }
      case "array":
        return visit(type.element);
      case "map":
        return visit(type.value);
      case "nullable":
        return visit(type.inner);
      case "struct":
        for (const field of type.fields) visit(field.type);
        return;
      default:
        return;
    }
  };
  roots.forEach(visit);
  return found;
}

function typeLink(name: string): HTMLElement {
  return el("a", {
    class: "type-link",
    text: name,
    attrs: { href: `#type-${name}`, "data-type": name },
    on: {
      click: (event) => {
        // In-page: the address bar keeps naming the method.
        event.preventDefault();
        const declaration = document.getElementById(`type-${name}`);
        if (declaration instanceof HTMLDetailsElement) declaration.open = true;
        declaration?.scrollIntoView({ block: "nearest" });
        declaration?.classList.add("pointed");
        setTimeout(() => declaration?.classList.remove("pointed"), 1200);
      },
    },
  });
}

function fieldList(struct: StructModel, empty: string): HTMLElement {
  if (struct.fields.length === 0) return el("p", { class: "hint", text: empty });
  return el(
    "dl",
    { class: "fields" },
    ...struct.fields.flatMap((field) => [
      el(
        "dt",
        {},
        el("code", { text: field.name }),
        el("span", { class: "field-type" }, ...typeNodes(field.type, typeLink)),
      ),
      el("dd", { class: "doc", text: field.doc ?? "" }),
    ]),
  );
}

export function methodReference(owner: InterfaceModel, method: MethodMember): HTMLElement {
  const used = namedTypes(owner, [method.input, method.output]);
  const errors = errorsOf(owner);
  return el(
    "section",
    { class: "reference" },
    el("h3", { text: "Reply fields" }),
    fieldList(method.output, "An empty reply: ()."),
    used.length > 0
      ? el(
          "div",
          { class: "types" },
          el("h3", { text: "Types" }),
          ...used.map((name) => {
            const declared = declaredType(owner, name);
            const doc = docProse(declared?.doc);
            return el(
              "details",
              { class: "type-declaration", attrs: { id: `type-${name}`, open: "" } },
              el("summary", {}, el("code", { text: `type ${name}` })),
              doc !== undefined ? el("p", { class: "doc", text: doc }) : null,
              el(
                "pre",
                { class: "type-text" },
                ...(declared !== undefined ? typeNodes(declared.type, typeLink) : [`not declared in ${owner.name}`]),
              ),
            );
          }),
        )
      : null,
    el("h3", { text: errorsHeading(errors.length) }),
    errors.length > 0
      ? el(
          "ul",
          { class: "declared-errors" },
          ...errors.map((error) => {
            const doc = docProse(error.doc);
            return el(
              "li",
              {},
              el("code", { text: `${owner.name}.${error.name}` }),
              doc !== undefined ? el("p", { class: "doc", text: doc }) : null,
            );
          }),
        )
      : el("p", {
          class: "hint",
          text: "The interface declares none; the service may still answer with org.varlink.service's errors.",
        }),
  );
}
