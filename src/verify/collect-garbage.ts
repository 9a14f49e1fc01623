// Newman gives every run a fresh script sandbox: a vm context into which it evaluates a 2.4 MB
// bundle, about 10 MB of heap per run. V8 frees a dead context only over two major collections and
// sizes its next heap limit from what survived the last one, so with runs following one another its
// heap doubles again and again: 168 runs peaked at 1.6 GB and 1400 ran out of heap, though what is
// really alive stays near 60 MB. Collecting once the heap has grown by a fixed step since the last
// collection keeps the peak flat whatever the number of runs: with 16 MB, 168 runs peaked at 285 MB
// and 420 near the same (32 MB: 310 MB for 7% less CPU; 64 MB: 345 MB; 10 specs alone peak near
// 200 MB). Each collection costs a pause of some tens of ms, a cost V8 pays anyway once its heap is
// full, and pays far more dearly then.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap growth that triggers a collection: two or so runs' worth of dead sandboxes. */
export const COLLECT_EVERY_BYTES = 16 * 1024 * 1024;

let gc: (() => void) | null | undefined;

/**
 * The engine's full collection. Node hands it out only under --expose-gc; turned on for the moment
 * it takes to fetch it and off again, so no context made later (Newman's sandboxes, user scripts)
 * sees a `gc` global. Null where the engine refuses.
 */
function fullCollection(): (() => void) | null {
  if (gc !== undefined) return gc;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') {
    gc = existing;
    return gc;
  }
  try {
    setFlagsFromString('--expose-gc');
    const found = runInNewContext('gc') as unknown;
    gc = typeof found === 'function' ? (found as () => void) : null;
  } catch {
    gc = null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return gc;
}

/** A function to call as each run ends: it collects when the heap has grown by `step` since last time. */
export function collectBetweenRuns(step = COLLECT_EVERY_BYTES): () => void {
  const collect = fullCollection();
  if (!collect) return () => undefined;
  let base = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size - base < step) return;
    collect();
    base = getHeapStatistics().used_heap_size;
  };
}
