/** Shard `index` (from 1) of `count`: the part of the runs one of `count` parallel CI jobs does. */
export interface Shard {
  index: number;
  count: number;
}

/** `1/4` → { index: 1, count: 4 }; anything else is the sentence to tell the user. */
export function parseShard(text: string): Shard | { error: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    return { error: `--shard takes i/n with 1 ≤ i ≤ n, e.g. --shard 1/4, got "${text}"` };
  }
  return { index, count };
}

/** `shard-2-of-4`: the folder a shard's reports go to, so parallel jobs' artifacts never collide. */
export function shardName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

/**
 * The items of one shard, in their given order. Items are dealt round-robin in the order of their
 * labels (spec id and variant), not of the files given, so every job of a CI matrix computes the same
 * split from the same specs however its file list was ordered; dealing rather than hashing keeps the
 * shards within one run of each other in size, and every item is in exactly one shard.
 */
export function selectShard<T>(items: readonly T[], labelOf: (item: T) => string, shard: Shard): T[] {
  const byLabel = items
    .map((item, position) => ({ label: labelOf(item), position }))
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.position - b.position));
  const chosen = new Set(
    byLabel.filter((_, rank) => rank % shard.count === shard.index - 1).map((entry) => entry.position),
  );
  return items.filter((_, position) => chosen.has(position));
}
