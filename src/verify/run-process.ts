import { spawn } from 'node:child_process';

// A runner started as a process of its own (bru run, the Postman CLI): its standard output and
// error read together, as its report to be parsed and redacted, and its exit code.

export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Killed after this long. */
  timeoutMs: number;
  /** Stopping the run kills the process; the promise then settles with its exit, not an error. */
  signal?: AbortSignal | undefined;
}

/** Runs `command` to its end: its exit code (128 when a signal ended it) and everything it printed. */
export function runProcess(
  command: string,
  args: string[],
  options: ProcessOptions,
): Promise<{ exitCode: number; output: string }> {
  const { signal } = options;
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', (error) => (signal?.aborted ? undefined : fail(error)));
    child.on('close', (code, stop) => done({ exitCode: code ?? (stop ? 128 : 1), output }));
  });
}
