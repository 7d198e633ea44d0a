import { readdirSync, readFileSync } from "node:fs";
const t0 = performance.now();
const { parseInterface, hasErrors } = await import("./dist/src/idl/index.js");
const codegen = await import("./dist/src/codegen/index.js");
const t1 = performance.now();
const dir = "../shared/corpus/valid/";
const inputs = [];
for (const f of readdirSync(dir).filter(f => f.endsWith(".varlink")).sort()) {
  if (f.toLowerCase() === "org.example.calc.varlink" && inputs.some(i => i.sourcePath.toLowerCase() === f.toLowerCase())) continue;
  const r = parseInterface(readFileSync(dir + f, "utf8"));
  if (hasErrors(r.diagnostics)) continue;
  inputs.push({ sourcePath: f, definition: r.ast ?? r.definition ?? r.interface });
}
const t2 = performance.now();
const files = await codegen.generate(inputs);
const t3 = performance.now();
console.log(`load ${(t1-t0).toFixed(0)} parse ${(t2-t1).toFixed(0)} generate ${(t3-t2).toFixed(0)} bytes ${files.reduce((n,f)=>n+f.content.length,0)} n ${inputs.length}`);
