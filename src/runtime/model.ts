// @varlink-ts/runtime/model: the runtime's model of an interface, for tools that read or write
// interfaces (the code generator, OpenAPI, derive): the types, the text reader and printer, the
// naming rules, and the helpers for documentation and modes. Small and portable: loading it
// loads nothing else.
export { readInterface, printInterface } from "./model/interface-text.js";
export { linesOf } from "./model/line-breaks.js";
export {
  fieldNamePattern,
  fieldNameProblem,
  interfaceNamePattern,
  interfaceNameProblem,
  isQualifiedMemberName,
  memberNamePattern,
  memberNameProblem,
} from "./model/names.js";
export {
  docProse,
  mapOf,
  mapType,
  modesOf,
  moreOf,
  typeText,
  type Comments,
  type EnumModel,
  type EnumValueModel,
  type FieldModel,
  type InterfaceModel,
  type LeafModel,
  type MemberModel,
  type MethodModes,
  type StructModel,
  type TypeMapper,
  type TypeModel,
  type TypeShape,
} from "./model/model.js";
