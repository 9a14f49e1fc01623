/**
 * Runs `fn` over the items with at most `limit` calls in flight, pulling items from the iterable
 * only as a call frees up. File I/O of thousands of generated files one at a time spent most of a
 * large build waiting; all at once would open more files than a process may; and pulling lazily
 * lets a generator make each file only when there is room to write it. The items may come from an
 * async iterable (files generated in worker threads), pulled the same way.
 *
 * After a failure no new call starts, and the first error is thrown only once the calls already
 * in flight have ended: a caller that cleans up (removes a staging folder) must not race a write
 * still going into it.
 */
export async function forEachLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    try {
      for (let next = await iterator.next(); !next.done && !failure; next = await iterator.next())
        await fn(next.value);
    } catch (error) {
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure) throw failure.error;
}
