// Runners that are processes of their own (bru, the Postman CLI) take turns: each is hundreds of
// megabytes, and more than a couple at once only slows a small machine, whatever --concurrency is.

const running = new Map<string, number>();
const waiting = new Map<string, Array<() => void>>();

/** Runs `work` once fewer than `atOnce` works of this kind are running. */
export async function inTurn<T>(kind: string, atOnce: number, work: () => Promise<T>): Promise<T> {
  if ((running.get(kind) ?? 0) >= atOnce) {
    await new Promise<void>((resolve) => {
      waiting.set(kind, [...(waiting.get(kind) ?? []), resolve]);
    });
  }
  running.set(kind, (running.get(kind) ?? 0) + 1);
  try {
    return await work();
  } finally {
    running.set(kind, (running.get(kind) ?? 1) - 1);
    waiting.get(kind)?.shift()?.();
  }
}
