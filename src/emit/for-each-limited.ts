/**
 * Runs `fn` over the items with at most `limit` calls in flight, pulling items from the iterable
 * only as a call frees up. File I/O of thousands of generated files one at a time spent most of a
 * large build waiting; all at once would open more files than a process may; and pulling lazily
 * lets a generator make each file only when there is room to write it. The items may come from an
 * async iterable (files generated in worker threads), pulled the same way.
 */
export async function forEachLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failed = false;
  const worker = async () => {
    for (let next = await iterator.next(); !next.done && !failed; next = await iterator.next()) {
      try {
        await fn(next.value);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
