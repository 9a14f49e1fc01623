import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OutputFile } from '../emit/write-artifacts.js';
import type { FromWorker, ToWorker } from './build-worker.js';
import type { LoadedSpecFile } from './load-spec-file.js';

/**
 * Builds of fewer specs stay on the main thread: a worker costs about 0.1 s of CPU to start (it
 * loads the YAML parser, the validator and the generators), which only many specs pay back.
 */
export const WORKERS_FROM = 50;
// Reading and generating scale with cores, the main thread's writing does not: past a few
// workers, more only add start-up cost.
const MAX_WORKERS = 4;
// Cores a build leaves to other work than its workers': one for the main thread, and one for the
// kernel, which does most of the writing (creating and renaming ten thousand files costs it as
// much CPU as generating them costs JavaScript). On two cores, workers made a 1000-spec build no
// faster, cost it a tenth more CPU time (each loads and warms up the generators again) and 60 MB
// of memory each, so a two-core build generates on its main thread.
const CORES_KEPT = 2;
// Files per load request: small enough that a worker slowed by another process does not hold
// back the end of the reading, large enough that messages cost little. Two are kept in flight
// per worker so it never waits for the next.
const LOAD_BATCH = 8;
// Specs per generate request (each makes 3–5 files, about 100 KB), and how many generated files
// the main thread holds before it asks for more: the bound on memory while writing.
const GENERATE_BATCH = 4;
const QUEUE_HIGH = 64;

// Run from the TypeScript sources (as the tests import the library) there is no compiled worker
// entry to start, so builds stay on the main thread by default.
const COMPILED = import.meta.url.endsWith('.js');

/** How many workers a build of this many specs uses by default (0: all on the main thread). */
export function defaultWorkerCount(specs: number): number {
  const cores = os.availableParallelism();
  return COMPILED && specs >= WORKERS_FROM ? Math.max(0, Math.min(cores - CORES_KEPT, MAX_WORKERS)) : 0;
}

interface Member {
  worker: Worker;
  /** Valid specs it read that it has not generated yet. */
  holds: number;
  /** A generate request is unanswered. */
  asked: boolean;
}

/**
 * A pool of worker threads that read, validate and generate specs while the main thread writes.
 * Results come back by file number, so specs and problems are in the order the files were given,
 * exactly as loadSpecs returns them; generation is pulled as the writer has room.
 */
export class BuildWorkers {
  private readonly members: Member[];
  private handler: ((member: Member, message: FromWorker) => void) | undefined;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private closing = false;

  constructor(count: number) {
    this.members = Array.from({ length: Math.max(1, count) }, () => {
      const member: Member = {
        // A small young generation: a worker's garbage (parse trees, generated text) is short-lived,
        // and the default let each worker's memory grow by some 50 MB before it was collected,
        // taking a large build past 200 MB; at 4 MB it costs no measurable time.
        worker: new Worker(new URL('./build-worker.js', import.meta.url), {
          resourceLimits: { maxYoungGenerationSizeMb: 4 },
        }),
        holds: 0,
        asked: false,
      };
      member.worker.on('message', (message: FromWorker) => {
        if (message.type !== 'failed') return this.handler?.(member, message);
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        this.fail(error);
      });
      member.worker.on('error', (error) => this.fail(error));
      member.worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a build worker thread ended early (exit code ${code})`));
      });
      return member;
    });
  }

  /** Reads and validates the files (at least one), each as loadSpecFile does, in the order given. */
  load(files: string[], onLoaded?: () => void, signal?: AbortSignal): Promise<LoadedSpecFile[]> {
    return new Promise((resolve, reject) => {
      const results: LoadedSpecFile[] = new Array(files.length);
      let sent = 0;
      let done = 0;
      const send = (member: Member) => {
        if (sent >= files.length) return;
        const first = sent;
        sent = Math.min(files.length, sent + LOAD_BATCH);
        this.post(member, { type: 'load', first, files: files.slice(first, sent) });
      };
      const finish = (error?: unknown) => {
        this.handler = undefined;
        this.wake = undefined;
        signal?.removeEventListener('abort', onAbort);
        if (error !== undefined) return reject(error);
        resolve(results);
      };
      const onAbort = () => finish(signal?.reason);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = () => finish(this.failure);
      this.handler = (member, message) => {
        if (message.type !== 'loaded') return;
        message.results.forEach((loaded, i) => {
          results[message.first + i] = loaded;
          if (loaded.result.spec) member.holds += 1;
          done += 1;
          onLoaded?.();
        });
        if (done === files.length) return finish();
        send(member);
      };
      for (const member of this.members) {
        send(member);
        send(member);
      }
    });
  }

  /** The generated files of every valid spec read, made as they are pulled. */
  async *generate(): AsyncGenerator<OutputFile> {
    const queue: OutputFile[] = [];
    let head = 0;
    this.handler = (member, message) => {
      if (message.type !== 'generated') return;
      member.asked = false;
      member.holds = message.left;
      queue.push(...message.artifacts);
      this.wake?.();
    };
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        for (const member of this.members) {
          if (member.asked || member.holds === 0 || queue.length - head >= QUEUE_HIGH) continue;
          member.asked = true;
          this.post(member, { type: 'generate', specs: GENERATE_BATCH });
        }
        if (head < queue.length) {
          const artifact = queue[head] as OutputFile;
          head += 1;
          // Drop what was handed out now and then, so the queue does not hold every file made.
          if (head > QUEUE_HIGH) {
            queue.splice(0, head);
            head = 0;
          }
          yield artifact;
          continue;
        }
        if (!this.members.some((member) => member.asked)) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      this.handler = undefined;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.members.map((member) => member.worker.terminate()));
  }

  private post(member: Member, message: ToWorker): void {
    member.worker.postMessage(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }
}
