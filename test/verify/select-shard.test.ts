import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parseShard, selectShard, shardName } from '../../src/verify/select-shard.js';

test('i/n is read; anything else is one sentence naming the flag and what is valid', () => {
  expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  for (const bad of ['0/2', '3/2', 'x', '1/0', '1', '-1/2', '1.5/3', '', '2/4/6']) {
    const parsed = parseShard(bad);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toMatch(/^--shard takes i\/n with 1 ≤ i ≤ n, e\.g\./);
  }
  expect(shardName({ index: 3, count: 8 })).toBe('shard-3-of-8');
});

test('the shards of n take every run exactly once, sizes within one, whatever order the runs come in', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }),
      fc.integer({ min: 1, max: 9 }),
      (labels, count) => {
        const parts = Array.from({ length: count }, (_, i) =>
          selectShard(labels, (l) => l, { index: i + 1, count }),
        );
        expect(parts.flat().sort()).toEqual([...labels].sort());
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        // Another CI job given the files in another order computes the same split.
        const reversed = [...labels].reverse();
        for (let i = 0; i < count; i += 1) {
          const again = selectShard(reversed, (l) => l, { index: i + 1, count });
          expect([...again].sort()).toEqual([...(parts[i] ?? [])].sort());
        }
      },
    ),
  );
});

test('a shard keeps the runs in their given order', () => {
  const runs = ['c', 'a', 'd', 'b', 'e'];
  expect(selectShard(runs, (r) => r, { index: 1, count: 2 })).toEqual(['c', 'a', 'e']);
  expect(selectShard(runs, (r) => r, { index: 2, count: 2 })).toEqual(['d', 'b']);
});
