import type { TypeModel } from "@varlink-ts/runtime/model";
import type { Editor, EditorContext } from "./editor.js";
import { ArrayEditor, MapEditor } from "./list-editors.js";
import { OptionalEditor } from "./optional-editor.js";
import { BoolEditor, EnumEditor, FloatEditor, IntEditor, JsonEditor, StringEditor } from "./scalar-editors.js";
import { StructEditor } from "./struct-editor.js";

/** Forms nest this deep at most; a type that goes deeper (it can only through ?, [] or [string]) is edited as JSON. */
const maxDepth = 24;

/** The editors for an interface that declares the types `declared` names. */
export function editorContext(declared: EditorContext["declared"]): EditorContext {
  const context: EditorContext = {
    declared,
    make(type: TypeModel, depth: number): Editor {
      if (depth > maxDepth) return new JsonEditor("a value");
      switch (type.kind) {
        case "bool":
          return new BoolEditor();
        case "int":
          return new IntEditor();
        case "float":
          return new FloatEditor();
        case "string":
          return new StringEditor();
        case "object":
        case "any":
          return new JsonEditor(type.kind);
        case "enum":
          return new EnumEditor(type.values);
        case "struct":
          return new StructEditor(type.fields, context, depth);
        case "nullable":
          return new OptionalEditor(type.inner, context, depth);
        case "array":
          return new ArrayEditor(type.element, context, depth);
        case "map":
          return new MapEditor(type.value, context, depth);
        case "set":
          return new MapEditor(undefined, context, depth);
        case "named": {
          const named = declared(type.name);
          return named !== undefined ? context.make(named, depth) : new JsonEditor(type.name);
        }
      }
    },
  };
  return context;
}
