// The body of one build worker thread (see build-in-workers.ts): it reads and validates the spec
// files it is given, keeps the valid specs, and on request generates their files in small batches,
// so the main thread only writes. Problems stay values: a spec's mistakes come back as its result.
import { parentPort } from 'node:worker_threads';
import type { OutputFile } from '../emit/write-artifacts.js';
import type { Spec } from '../spec/types.js';
import { type LoadedSpecFile, loadSpecFile } from './load-spec-file.js';
import { specArtifacts } from './spec-artifacts.js';

export type ToWorker =
  /** Read and validate these files, the first being number `first` of the build. */
  | { type: 'load'; first: number; files: string[] }
  /** Generate the files of the next `specs` valid specs this worker holds. */
  | { type: 'generate'; specs: number };

export type FromWorker =
  | { type: 'loaded'; first: number; results: LoadedSpecFile[] }
  /** `left`: how many valid specs this worker still holds ungenerated. */
  | { type: 'generated'; artifacts: OutputFile[]; left: number }
  /** A fault of tokenman itself (never a user's mistake), ending the build as it would in-process. */
  | { type: 'failed'; message: string; stack?: string | undefined };

const port = parentPort;
if (!port) throw new Error('build-worker runs as a worker thread of build-in-workers');

const held: Spec[] = [];
let generated = 0;

const reply = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const encoder = new TextEncoder();

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'load') {
    const results = await Promise.all(message.files.map((file) => loadSpecFile(file)));
    for (const { result } of results) if (result.spec) held.push(result.spec);
    reply({ type: 'loaded', first: message.first, results });
    return;
  }
  const batch = held.slice(generated, generated + message.specs);
  generated += batch.length;
  // As UTF-8 bytes whose memory moves to the main thread: a copied string would pass through the
  // main thread's heap, which then grew by most of the 90 MB a large build writes.
  const artifacts = batch.flatMap((spec) =>
    specArtifacts(spec).map(({ fileName, content }) => ({ fileName, content: encoder.encode(content) })),
  );
  reply(
    { type: 'generated', artifacts, left: held.length - generated },
    artifacts.map(({ content }) => content.buffer as ArrayBuffer),
  );
}

port.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) =>
    reply({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    }),
  );
});
