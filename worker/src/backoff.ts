export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Delay before reconnect attempt `n` (0-based): exponential, capped, with full jitter so
 * that workers that lost the coordinator together do not all knock at the same instant.
 */
export function backoffDelay(n: number, { initialMs, maxMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(n, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
