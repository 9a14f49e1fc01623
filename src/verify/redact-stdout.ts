// Newman's cli reporter writes straight to process.stdout: request URLs (a GET-style token request
// carries the client secret in its query) and failure messages quoting a vendor's answer. While a
// run with that reporter goes on, stdout passes through the run's redactor a line at a time (a
// secret split across two writes is still found), with every redactor of runs going on at once.
import type { Redactor } from './redact.js';

type Write = typeof process.stdout.write;

const active = new Set<Redactor>();
let original: Write | undefined;
let pending = '';

function redactAll(text: string): string {
  let out = text;
  for (const redactor of active) out = redactor.text(out);
  return out;
}

function install(redactor: Redactor): void {
  active.add(redactor);
  if (original) return;
  const write: Write = process.stdout.write;
  original = write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const end = pending.lastIndexOf('\n');
    if (end >= 0) {
      write.call(process.stdout, redactAll(pending.slice(0, end + 1)));
      pending = pending.slice(end + 1);
    }
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as Write;
}

function uninstall(redactor: Redactor): void {
  if (active.size === 1 && original) {
    original.call(process.stdout, redactAll(pending));
    pending = '';
    process.stdout.write = original;
    original = undefined;
  }
  active.delete(redactor);
}

/** Runs `work` with what it (or anything else) writes to stdout redacted. */
export async function withRedactedStdout<T>(redactor: Redactor, work: () => Promise<T>): Promise<T> {
  install(redactor);
  try {
    return await work();
  } finally {
    uninstall(redactor);
  }
}
