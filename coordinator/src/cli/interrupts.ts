/** The process signals the CLI listens to; `process` in the program, a stand-in nowhere else. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface Interrupts {
  /** Aborted at the first Ctrl-C (or SIGTERM). */
  readonly signal: AbortSignal;
  /**
   * Runs `work` as the phase that cleans up after itself on Ctrl-C (workers stopped, journal
   * closed). Outside such a phase nothing needs stopping, so Ctrl-C ends the process at once.
   */
  whileStoppable<T>(work: () => Promise<T>): Promise<T>;
  /** Stops the stoppable phase as a first Ctrl-C would, without a notice; false when none is running. */
  stop(): boolean;
  dispose(): void;
}

/**
 * Ctrl-C handling: the first one aborts the signal (a run stops its workers and writes its
 * report), the second one exits at once with 130.
 */
export function watchInterrupts(source: SignalSource, exitNow: (code: number) => void, notify: (text: string) => void): Interrupts {
  const controller = new AbortController();
  let stoppable = 0;
  const onSignal = () => {
    if (controller.signal.aborted || stoppable === 0) {
      exitNow(130);
      return;
    }
    notify('\nInterrupted: stopping… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  source.on('SIGINT', onSignal);
  source.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    async whileStoppable(work) {
      stoppable++;
      try {
        return await work();
      } finally {
        stoppable--;
      }
    },
    stop() {
      if (stoppable === 0) return false;
      controller.abort();
      return true;
    },
    dispose() {
      source.off('SIGINT', onSignal);
      source.off('SIGTERM', onSignal);
    },
  };
}
