/** An AST as comparable data: positions and the source text left out. */
export function withoutPositions(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === "range" || key === "nameRange" || key === "source" ? undefined : v,
    ),
  );
}
