// A node:test reporter that ends the run with one plain line, "N passed, N failed, N skipped",
// counting tests, not the suites that group them (a skipped suite counts once: its tests never
// ran). Before it, one line per reason tests were skipped, with how many, so a run that skipped
// says why.

interface TestEvent {
  type: string;
  data: { skip?: unknown; todo?: unknown; details?: { type?: string } };
}

export default async function* summary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  const skipped = new Map<string, number>();
  for await (const event of source) {
    const { skip, todo, details } = event.data;
    const suite = details?.type === "suite";
    if (event.type === "test:pass") {
      if (skip !== undefined || todo !== undefined) {
        const why = typeof skip === "string" ? skip : typeof todo === "string" ? `to do: ${todo}` : "no reason given";
        skipped.set(why, (skipped.get(why) ?? 0) + 1);
      } else if (!suite) passed++;
    } else if (event.type === "test:fail" && !suite) {
      failed++;
    }
  }
  for (const [why, count] of skipped) yield `skipped ${count}: ${why}\n`;
  const skippedCount = [...skipped.values()].reduce((sum, count) => sum + count, 0);
  yield `${passed} passed, ${failed} failed, ${skippedCount} skipped\n`;
}
