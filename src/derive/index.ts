// varlink-ts/derive: .varlink interfaces from TypeScript declarations (the other way round from
// codegen). Loads ts-morph, which carries its own TypeScript: only `varlink-ts derive` loads it.
export { deriveInterfaces, type DeriveOptions, type DeriveResult, type DerivedInterface } from "./derive.js";
