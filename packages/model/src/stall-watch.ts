/** Turns in a row with the same calls and the same results that count as no progress. */
export const REPEATS_FOR_NO_PROGRESS = 3;

/**
 * Notices a conversation that has stopped moving: answers without any tool call (the model talks
 * instead of acting or giving its verdict), and turns that repeat the same tool calls with the same
 * results.
 */
export class StallWatch {
  #textOnly = 0;
  #recent: string[] = [];

  /** After an answer with no tool call: `remind` the first time in a row, then `force` the verdict. */
  textOnly(): 'remind' | 'force' {
    this.#recent = [];
    return ++this.#textOnly === 1 ? 'remind' : 'force';
  }

  /**
   * After a turn with tool calls, given what it called and what came back: true once the last
   * `REPEATS_FOR_NO_PROGRESS` turns were all the same.
   */
  repeated(signature: string): boolean {
    this.#textOnly = 0;
    this.#recent = [...this.#recent, signature].slice(-REPEATS_FOR_NO_PROGRESS);
    return this.#recent.length === REPEATS_FOR_NO_PROGRESS && this.#recent.every((turn) => turn === signature);
  }
}
