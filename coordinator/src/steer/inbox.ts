import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { formatZodError } from '@coordinate/protocol';
import type { RunPaths } from '../run/layout.js';
import { writeAtomic } from '../run/write-atomic.js';
import { receiptFile, SteerRequest, steerDir, type SteerReceipt } from './request.js';

/** How often the live run looks for steer requests: a note waits at most this long before it is sent. */
const POLL_MS = 200;

export interface SteerInboxOptions {
  paths: Pick<RunPaths, 'dir'>;
  logger: Logger;
  /** Acts on one valid request and says what became of it. */
  handle(request: SteerRequest): Omit<SteerReceipt, 'id'>;
}

/**
 * The live run's end of `coordinate steer`: it picks up request files from the run's `steer/` folder,
 * validates each, acts on it, and answers with a receipt file the command waits for. Requests are
 * files because the run already owns its folder (and its lock says who drives it): nothing listens on
 * a port and no credential is needed beyond the person's own access to the repository.
 */
export class SteerInbox {
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(private readonly options: SteerInboxOptions) {}

  start(): void {
    this.#timer = setInterval(() => void this.check(), POLL_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Handles every request waiting now, oldest name first. */
  async check(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const dir = steerDir(this.options.paths);
      const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.request.json')).sort();
      for (const name of names) await this.#take(join(dir, name), name.slice(0, -'.request.json'.length));
    } finally {
      this.#busy = false;
    }
  }

  async #take(file: string, id: string): Promise<void> {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    await rm(file, { force: true });
    let receipt: Omit<SteerReceipt, 'id'>;
    try {
      const parsed = SteerRequest.safeParse(JSON.parse(text));
      receipt = parsed.success ? this.options.handle(parsed.data) : { status: 'refused', detail: `not a steer request: ${formatZodError(parsed.error)}` };
    } catch (error) {
      receipt = { status: 'refused', detail: error instanceof Error ? error.message.slice(0, 4000) : String(error) };
    }
    this.options.logger.info({ steer: id, ...receipt }, 'steer request handled');
    await writeAtomic(receiptFile(this.options.paths, id), `${JSON.stringify({ id, ...receipt })}\n`);
  }
}
