import { attachOnce } from '../../pipeline/attach-once.js';
import { countErrors } from '../../spec/problem.js';
import { listenForInterrupt } from '../interrupt.js';
import { type OutputFormat, printProblems, problemsJson } from '../print-problems.js';

export interface AttachFlags {
  spec: string;
  out: string;
  quiet?: boolean;
  format: OutputFormat;
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
  const errors = countErrors(result.problems);
  if (flags.format === 'json') {
    const json = {
      ok: !errors && result.written !== undefined,
      ...problemsJson(result.problems),
      ...(result.written ? { written: result.written } : {}),
      ...(result.requests ? { requests: result.requests } : {}),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return json.ok ? 0 : 1;
  }
  await printProblems(result.problems, 'text');
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
