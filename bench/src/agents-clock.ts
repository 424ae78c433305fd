/** Milliseconds on a clock that threads of one process share (each thread's `performance.now()` has its own origin). */
export const sharedClockMs = (): number => performance.timeOrigin + performance.now();
