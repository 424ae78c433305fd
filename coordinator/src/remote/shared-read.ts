/**
 * One read on behalf of everyone who asked for the same key since the last read of it started.
 *
 * A caller never gets an answer read before it asked (a read under way when it arrives is not
 * joined: the caller waits for the next one), and every caller arriving while a read is under way
 * shares that next read. So a burst of a thousand lookups of the same ref costs two `git`
 * processes instead of a thousand, and each answer is as fresh as an own lookup would be.
 */
export class SharedRead<V> {
  /** The read each key's newcomers share: it starts once the one under way has settled. */
  readonly #next = new Map<string, Promise<V>>();
  /** The read under way per key, settled either way. */
  readonly #running = new Map<string, Promise<void>>();

  constructor(private readonly read: (key: string) => Promise<V>) {}

  get(key: string): Promise<V> {
    const waiting = this.#next.get(key);
    if (waiting) return waiting;
    const next = (this.#running.get(key) ?? Promise.resolve()).then(() => {
      this.#next.delete(key);
      const reading = this.read(key);
      const settled = reading.then(
        () => undefined,
        () => undefined,
      );
      this.#running.set(key, settled);
      void settled.then(() => {
        if (this.#running.get(key) === settled) this.#running.delete(key);
      });
      return reading;
    });
    this.#next.set(key, next);
    return next;
  }
}
