/**
 * A writer that takes numbered pieces of text in any order and writes them in number order as soon
 * as every earlier one has come: output as stable as if written at the end, but streamed, holding
 * only the pieces that came early.
 */
export function printInOrder(write: (text: string) => void): {
  put(index: number, text: string): void;
  /** Writes what is left in order, skipping numbers that never came (runs that never started). */
  flush(): void;
} {
  const early = new Map<number, string>();
  let next = 0;
  return {
    put(index, text) {
      early.set(index, text);
      while (early.has(next)) {
        write(early.get(next) ?? '');
        early.delete(next);
        next += 1;
      }
    },
    flush() {
      for (const index of [...early.keys()].sort((a, b) => a - b)) write(early.get(index) ?? '');
      early.clear();
    },
  };
}
