import { Writable, type Readable } from 'node:stream';
import { isCancel, selectKey, text } from '@clack/prompts';

export interface KeyChoice<K extends string> {
  /** The one key that picks it, e.g. `a`. */
  key: K;
  label: string;
}

/** How approval asks the person: one key for a choice, a line for feedback. */
export interface Prompter {
  /** The key pressed (no Enter needed); undefined when the person cancels (Ctrl+C, Escape) or input ends. */
  choose<K extends string>(message: string, choices: readonly KeyChoice<K>[]): Promise<K | undefined>;
  /** A line of text; undefined on cancel. */
  line(message: string): Promise<string | undefined>;
}

/**
 * The terminal's prompts (@clack/prompts): a choice takes effect on its key, in raw mode, so no
 * Enter is needed; the prompt redraws in place and leaves the chosen answer on screen.
 */
export function terminalPrompter(input: Readable, terminal: Writable & { columns?: number }): Prompter {
  const output = terminal.columns ? terminal : widthless(terminal);
  return {
    async choose(message, choices) {
      const picked = await selectKey<string>({ message, options: choices.map(({ key, label }) => ({ value: key, label })), input, output });
      // selectKey answers only with one of the keys it was given
      return isCancel(picked) ? undefined : (picked as (typeof choices)[number]['key']);
    },
    async line(message) {
      const answer = await text({ message, input, output });
      return isCancel(answer) ? undefined : answer;
    },
  };
}

/**
 * The stream without its width: clack wraps its prompts at `columns`, and a terminal that reports
 * 0 (a new pty that was never sized) would get one character a line; without one, clack uses 80.
 */
function widthless(terminal: Writable): Writable {
  return new Writable({
    write(chunk: Buffer | string, encoding, done) {
      terminal.write(chunk, encoding, done);
    },
  });
}
