// A node:test reporter that ends the run with one plain line, "N passed, N failed, N skipped",
// counting tests, not the suites that group them.

interface TestEvent {
  type: string;
  data: { skip?: unknown; todo?: unknown; details?: { type?: string } };
}

export default async function* summary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.data.details?.type === "suite") continue;
    if (event.type === "test:pass") {
      if (event.data.skip !== undefined || event.data.todo !== undefined) skipped++;
      else passed++;
    } else if (event.type === "test:fail") {
      failed++;
    }
  }
  yield `${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
