import { emptyUsage } from './domain.js';
import { errorToData } from './errors.js';
import type { TaskResultBody } from './messages.js';

/**
 * A failed result for an attempt that failed around the task rather than by its own verdict: what
 * was thrown, as data (a CoordinateError keeps its code, anything else gets `fallbackCode`), with
 * the message clipped to what the protocol carries.
 */
export function failedResult(error: unknown, fallbackCode: string): TaskResultBody {
  const data = errorToData(error, fallbackCode);
  const message = data.message.slice(0, 4000);
  return { outcome: 'failed', summary: message, usage: emptyUsage(), error: { ...data, message } };
}
