import { attachOnce } from '../../pipeline/attach-once.js';
import { countErrors } from '../../spec/problem.js';
import { listenForInterrupt } from '../interrupt.js';
import { printProblems } from '../print-problems.js';

export interface AttachFlags {
  spec: string;
  out: string;
  quiet?: boolean;
}

/** Puts a spec's token into a Postman collection once, writing it and its environments into --out. */
export async function attachCommand(collection: string, flags: AttachFlags): Promise<number> {
  const interrupt = listenForInterrupt();
  let result: Awaited<ReturnType<typeof attachOnce>>;
  try {
    result = await attachOnce({
      collection,
      spec: flags.spec,
      outDir: flags.out,
      signal: interrupt.signal,
    });
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    process.stderr.write(`tokenman: stopped by ${interrupt.received()}; ${flags.out}/ was left as it was\n`);
    return interrupt.exitCode() ?? 1;
  } finally {
    interrupt.dispose();
  }
  await printProblems(result.problems, 'text');
  const errors = countErrors(result.problems);
  if (errors || !result.written) {
    process.stderr.write(`${errors} error(s); nothing was written to ${flags.out}/\n`);
    return 1;
  }
  if (flags.quiet) return 0;
  const { written, unchanged } = result.written;
  for (const name of written) process.stdout.write(`wrote   ${flags.out}/${name}\n`);
  for (const name of unchanged) process.stdout.write(`same    ${flags.out}/${name}\n`);
  const requests = result.requests;
  if (requests)
    process.stdout.write(
      `${requests.total} request(s) of ${collection} now send the token${requests.switched ? `; ${requests.switched} had auth of their own, switched to inherit it (listed above)` : ''}\n`,
    );
  return 0;
}
