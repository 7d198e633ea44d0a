// Stream transformations the interceptor tests wrap replies in.

/** The first `count` replies; then the stream is left, which ends it. */
export async function* firstOf<T>(replies: AsyncIterable<T>, count: number): AsyncGenerator<T, void, undefined> {
  let left = count;
  if (left <= 0) return;
  for await (const reply of replies) {
    yield reply;
    if (--left === 0) return;
  }
}

/** Each reply as `change` makes it. */
export async function* mapped<T, U>(
  replies: AsyncIterable<T>,
  change: (reply: T) => U,
): AsyncGenerator<U, void, undefined> {
  for await (const reply of replies) yield change(reply);
}
