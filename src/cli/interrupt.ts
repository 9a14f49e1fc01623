/**
 * SIGINT and SIGTERM as an AbortSignal, so a command stops cleanly: a CI timeout or Ctrl+C lets the
 * library finish or undo what it is writing (no raw report, no half-built output, no lock left
 * behind) instead of dying between two writes. A second signal exits at once.
 */
export interface Interrupt {
  signal: AbortSignal;
  /** The signal that arrived, if any. */
  received(): NodeJS.Signals | undefined;
  /** The exit code a shell gives a process stopped by that signal (130 for SIGINT, 143 for SIGTERM). */
  exitCode(): number | undefined;
  /** Stops listening. */
  dispose(): void;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

export function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  let got: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (got) process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
    got = signal;
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => got,
    exitCode: () => (got ? 128 + (SIGNAL_NUMBERS[got] ?? 0) : undefined),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
