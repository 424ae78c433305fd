const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `job` after every earlier job with the same key has settled. Tasks finish at the same time,
 * and their merges into one run branch must take turns: each builds on the commit the last one made.
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
