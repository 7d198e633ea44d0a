// varlink-ts/openapi: OpenAPI 3.1 documents for interfaces behind the HTTP bridge.
export {
  defaultMaxDocumentSize,
  openApiBridgeDocument,
  openApiDocument,
  OpenApiSizeError,
  type BridgedService,
  type OpenApiDocument,
  type OpenApiOptions,
} from "./document.js";
export { typeSchema, type JsonSchema } from "./schema.js";
