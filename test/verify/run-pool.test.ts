// The pool verify starts its runs from: limits, fairness between hosts, laziness, errors.
import { expect, test } from 'vitest';
import { runPool } from '../../src/verify/run-pool.js';

interface Item {
  id: number;
  host: string;
  ms: number;
}

/** Works through items that each take `ms`, recording the most at once in all and per host. */
async function trace(items: Iterable<Item> | AsyncIterable<Item>, concurrency: number, perKey: number) {
  const now = new Map<string, number>();
  let running = 0;
  let most = 0;
  const mostPerHost = new Map<string, number>();
  const started: number[] = [];
  const done: Array<[number, number]> = [];
  await runPool(
    items,
    (item) => item.host,
    { concurrency, perKey },
    async (item) => {
      started.push(item.id);
      running += 1;
      now.set(item.host, (now.get(item.host) ?? 0) + 1);
      most = Math.max(most, running);
      mostPerHost.set(item.host, Math.max(mostPerHost.get(item.host) ?? 0, now.get(item.host) ?? 0));
      await new Promise((resolve) => setTimeout(resolve, item.ms));
      running -= 1;
      now.set(item.host, (now.get(item.host) ?? 0) - 1);
      return item.id;
    },
    (id, index) => done.push([id, index]),
  );
  return { most, mostPerHost, started, done };
}

const items = (n: number, host: (i: number) => string, ms = 5): Item[] =>
  Array.from({ length: n }, (_, id) => ({ id, host: host(id), ms }));

test('never more than `concurrency` at once, and every item done once with its index', async () => {
  const result = await trace(
    items(40, (i) => `h${i % 5}`),
    6,
    100,
  );
  expect(result.most).toBe(6);
  expect(result.done.map(([id]) => id).sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  for (const [id, index] of result.done) expect(index).toBe(id);
});

test('never more than `perKey` at once for one host, whatever the concurrency', async () => {
  const result = await trace(
    items(30, () => 'tenant.example'),
    16,
    3,
  );
  expect(result.mostPerHost.get('tenant.example')).toBe(3);
});

test('items of other hosts go ahead while the first host is at its cap', async () => {
  // Twenty slow items for one host first, then five quick ones for another: with a cap of 2 per host
  // and 6 in all, the quick ones must not wait for the slow host's queue to drain.
  const slow = items(20, () => 'slow', 40);
  const quick = Array.from({ length: 5 }, (_, i) => ({ id: 20 + i, host: 'quick', ms: 1 }));
  const result = await trace([...slow, ...quick], 6, 2);
  const firstQuick = result.started.findIndex((id) => id >= 20);
  expect(firstQuick).toBeLessThan(4);
  expect(result.mostPerHost.get('slow')).toBe(2);
});

test('items are taken from the iterator only as slots free up', async () => {
  let taken = 0;
  let mostAhead = 0;
  let finished = 0;
  function* lazy(): Generator<Item> {
    for (let id = 0; id < 500; id += 1) {
      taken += 1;
      mostAhead = Math.max(mostAhead, taken - finished);
      yield { id, host: 'h', ms: 0 };
    }
  }
  await runPool(
    lazy(),
    (item) => item.host,
    { concurrency: 2, perKey: 2 },
    async () => undefined,
    () => {
      finished += 1;
    },
  );
  expect(finished).toBe(500);
  // The look-ahead (64 here) bounds what is held, not the number of items.
  expect(mostAhead).toBeLessThanOrEqual(64 + 2 + 1);
});

test('an async iterator works as well (verify prepares each run as it is taken)', async () => {
  async function* prepared(): AsyncGenerator<Item> {
    for (let id = 0; id < 12; id += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield { id, host: `h${id % 2}`, ms: 3 };
    }
  }
  const result = await trace(prepared(), 4, 1);
  expect(result.done).toHaveLength(12);
  expect(Math.max(...result.mostPerHost.values())).toBe(1);
});

test('an error rejects once the items already started have finished, and starts nothing more', async () => {
  let running = 0;
  let started = 0;
  let finishedAfterError = false;
  const run = runPool(
    items(20, () => 'h', 20),
    (item) => item.host,
    { concurrency: 3, perKey: 3 },
    async (item) => {
      started += 1;
      running += 1;
      if (item.id === 1) {
        running -= 1;
        throw new Error('report could not be written');
      }
      await new Promise((resolve) => setTimeout(resolve, item.ms));
      running -= 1;
      finishedAfterError = true;
      return item.id;
    },
    () => undefined,
  );
  await expect(run).rejects.toThrow('report could not be written');
  expect(running).toBe(0);
  expect(finishedAfterError).toBe(true);
  expect(started).toBe(3);
});

test('an aborted signal stops starting items; those started finish', async () => {
  const controller = new AbortController();
  const done: number[] = [];
  await runPool(
    items(20, () => 'h', 10),
    (item) => item.host,
    { concurrency: 2, perKey: 2, signal: controller.signal },
    async (item) => {
      if (item.id === 1) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, item.ms));
      return item.id;
    },
    (id) => done.push(id),
  );
  expect(done.sort()).toEqual([0, 1]);
});
