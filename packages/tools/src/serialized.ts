const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `job` after every earlier job with the same key has settled, in call order; jobs with other
 * keys run meanwhile. Used where work must take turns in one process: tool calls on one file (each
 * reads, changes and writes the whole file) and merges into one run branch (each builds on the last).
 */
export function serialized<T>(key: string, job: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const next = previous.then(job, job);
  const tail = next.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return next;
}
