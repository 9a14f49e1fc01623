export interface PoolLimits {
  /** Items worked on at once, in all. */
  concurrency: number;
  /** Items worked on at once that share a key (a vendor's token host). */
  perKey: number;
  /** Stops taking new items; those started still finish. */
  signal?: AbortSignal;
}

interface Waiting<T> {
  item: T;
  key: string;
  index: number;
}

/**
 * Works through `items` with at most `limits.concurrency` at once and at most `limits.perKey` at once
 * for one key, taking items from the iterator only as slots free up, so memory follows the limits and
 * not the number of items. An item whose key is at its cap waits in a short look-ahead while items of
 * other keys go first, so one busy host does not stall the rest. `onDone` gets each result with the
 * item's index in the iterator, in completion order. Rejects with the first error once nothing is
 * running any more (no work is left behind), after starting nothing new.
 */
export function runPool<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  keyOf: (item: T) => string,
  limits: PoolLimits,
  work: (item: T) => Promise<R>,
  onDone: (result: R, index: number) => void,
): Promise<void> {
  const concurrency = Math.max(1, Math.floor(limits.concurrency));
  const perKey = Math.max(1, Math.floor(limits.perKey));
  // Enough look-ahead to find an item of another key when the first ones all share a busy one; the
  // items are small descriptions, their heavy parts are read when they start.
  const lookahead = Math.max(64, concurrency * 4);
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const waiting: Waiting<T>[] = [];
  const active = new Map<string, number>();
  let running = 0;
  let taken = 0;
  let pulling = false;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  const stopped = () => failure !== undefined || limits.signal?.aborted === true;

  return new Promise<void>((resolve, reject) => {
    const start = (entry: Waiting<T>) => {
      running += 1;
      active.set(entry.key, (active.get(entry.key) ?? 0) + 1);
      // A thrown (not rejected) error of `work`, or one of `onDone`, ends the pool like a rejection.
      Promise.resolve()
        .then(() => work(entry.item))
        .then((result) => {
          if (!failure) onDone(result, entry.index);
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          running -= 1;
          const left = (active.get(entry.key) ?? 1) - 1;
          if (left === 0) active.delete(entry.key);
          else active.set(entry.key, left);
          fill();
        });
    };
    // One item is taken from the iterator at a time (an async generator may read files to make it).
    const pull = () => {
      pulling = true;
      Promise.resolve()
        .then(() => iterator.next())
        .then((next) => {
          if (next.done) exhausted = true;
          else waiting.push({ item: next.value, key: keyOf(next.value), index: taken++ });
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          pulling = false;
          fill();
        });
    };
    const fill = () => {
      while (!stopped() && running < concurrency) {
        const ready = waiting.findIndex((w) => (active.get(w.key) ?? 0) < perKey);
        if (ready < 0) break;
        start(waiting.splice(ready, 1)[0] as Waiting<T>);
      }
      const wantsMore = !stopped() && running < concurrency && waiting.length < lookahead;
      if (wantsMore && !exhausted && !pulling) pull();
      if (running > 0 || pulling || !(stopped() || (exhausted && waiting.length === 0))) return;
      // An abandoned generator is told so, to close what it holds open.
      if (!exhausted) Promise.resolve(iterator.return?.()).catch(() => undefined);
      if (failure) reject(failure.error);
      else resolve();
    };
    fill();
  });
}
