import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { relativeImports, sourceFiles } from "../helpers/imports.js";
import { repoRoot } from "../helpers/paths.js";

// The runtime's folders layer: no file imports itself back through others, and no two of its
// parts (a folder, or a file at its top) import each other; shared types sit in the lower one.
// Type imports count: a type cycle is a design cycle all the same.

const runtime = path.join(repoRoot, "src", "runtime");
const files = sourceFiles(runtime);
const imports = new Map(
  files.map((file) => [file, relativeImports(file).filter((imported) => imported.startsWith(runtime + path.sep))]),
);
const name = (file: string): string => path.relative(runtime, file);
/** The folder a file is in, under src/runtime, or the file's own name at the top. */
const part = (file: string): string => name(file).split(path.sep)[0]!;

/** Each cycle of files importing one another (Tarjan's strongly connected components of two files or more). */
function fileCycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of imports.get(file) ?? []) {
      if (!imports.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || (imports.get(file) ?? []).includes(file)) cycles.push(component.map(name).sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

/** `a <-> b` for each two parts that import each other, with one import each way. */
function partsImportingEachOther(): Map<string, string> {
  const crossing = new Map<string, string>();
  for (const [file, imported] of imports) {
    for (const target of imported)
      if (part(file) !== part(target))
        crossing.set(`${part(file)} -> ${part(target)}`, `${name(file)} imports ${name(target)}`);
  }
  const pairs = new Map<string, string>();
  for (const [edge, example] of crossing) {
    const [from, to] = edge.split(" -> ") as [string, string];
    const back = crossing.get(`${to} -> ${from}`);
    if (back !== undefined && from < to) pairs.set(`${from} <-> ${to}`, `${example}; ${back}`);
  }
  return pairs;
}

test("the runtime's imports are read (control: it has files and folders importing one another)", () => {
  assert.ok(files.length > 50);
  assert.ok(
    imports.get(path.join(runtime, "server", "server.ts"))!.includes(path.join(runtime, "server", "connection.ts")),
  );
  assert.ok(
    imports.get(path.join(runtime, "server", "server.ts"))!.some((file) => part(file) === "protocol"),
    "type and value imports across folders are seen",
  );
});

test("no file of the runtime imports itself back through others", () => {
  assert.deepEqual(fileCycles(), []);
});

test("no two folders of the runtime import each other", () => {
  const pairs = partsImportingEachOther();
  assert.deepEqual(
    [...pairs].map(([pair, why]) => `${pair}: ${why}`),
    [],
  );
});
