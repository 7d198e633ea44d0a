// prettier's document builders and printer: the layout engine prettier itself runs, so that
// generated code is laid out exactly as prettier would lay it out, without parsing it again.
import { builders, printer, utils } from "prettier/doc";

export type Doc = builders.Doc;
export { builders, printer, utils };
