export type * from "./ast.js";
export {
  diagnosticCodes,
  hasErrors,
  type Diagnostic,
  type DiagnosticCode,
  type Fix,
  type RelatedLocation,
  type Severity,
  type TextEdit,
} from "./diagnostics.js";
export { parseInterface, maxNesting, type ParseOptions, type ParseResult } from "./parse.js";
export {
  renderDiagnostic,
  renderDiagnostics,
  renderSummary,
  summarize,
  location,
  type RenderOptions,
  type Summary,
} from "./render.js";
export { LineMap } from "./positions.js";
export { docProse, methodModes } from "./modes.js";
export { walkTypes, memberTypes, type TypeSite } from "./walk.js";
export { nearestName } from "./check.js";
export { toInterfaceModel, typeModel } from "./to-model.js";
