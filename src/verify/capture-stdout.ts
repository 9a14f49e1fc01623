// Newman's cli reporter writes straight to process.stdout: request URLs (a GET-style token request
// carries the client secret in its query) and failure messages quoting a vendor's answer. While a
// run with that reporter goes on, what reaches stdout is kept instead of printed and comes back
// redacted with the run's outcome: the library prints nothing, and the CLI prints it. Runs with the
// cli reporter go one at a time, so one capture at most is active.

type Write = typeof process.stdout.write;

let capturing = false;

/** Runs `work` with what it (or anything else) writes to stdout kept; the kept text, redacted. */
export async function withCapturedStdout<T>(
  redact: (text: string) => string,
  work: () => Promise<T>,
): Promise<{ value: T; output: string }> {
  if (capturing) throw new Error('stdout is already captured: runs with the cli reporter go one at a time');
  capturing = true;
  const original: Write = process.stdout.write;
  let kept = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    kept += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as Write;
  try {
    const value = await work();
    return { value, output: redact(kept) };
  } finally {
    process.stdout.write = original;
    capturing = false;
  }
}
