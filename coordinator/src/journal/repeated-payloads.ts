import type { z } from 'zod';
import { JournalEvent, TaskFinished, TaskProgressed, TaskResultTaken } from './events.js';

type Field = 'usage' | 'result';

/**
 * The nested payloads a journal repeats line after line: progress reports the attempt's usage so
 * far after every step (the same figures until its next model request), and a task's verdict
 * (`task.finished`) mostly carries the very result its worker sent (`task.result`). Each event type
 * with one, and its schema without it.
 */
const REPEATED: ReadonlyMap<unknown, { field: Field; rest: z.ZodType<Record<string, unknown>> }> = new Map<unknown, { field: Field; rest: z.ZodType<Record<string, unknown>> }>([
  ['task.progress', { field: 'usage', rest: TaskProgressed.omit({ usage: true }) }],
  ['task.result', { field: 'result', rest: TaskResultTaken.omit({ result: true }) }],
  ['task.finished', { field: 'result', rest: TaskFinished.omit({ result: true }) }],
]);

/** Whether two parsed JSON values are the same JSON: same keys, same values, arrays in the same order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Validates a journal's events one line at a time, as `JournalEvent.safeParse` does, but a payload
 * that is the same JSON as the last one validated in its field is not validated again: the rest of
 * the event is, and the payload's validated copy is reused. zod's output is a pure function of its
 * input (these schemas have no transforms), so the event is what validating it whole gives; a line
 * that fails is validated whole again, so its error is the same too. One per journal read.
 */
export class EventValidator {
  readonly #last = new Map<Field, { raw: unknown; valid: unknown }>();

  check(value: unknown): z.ZodSafeParseResult<JournalEvent> {
    const repeated = REPEATED.get((value as { type?: unknown } | null)?.type);
    const payload = repeated ? (value as Record<string, unknown>)[repeated.field] : undefined;
    if (repeated && payload !== undefined) {
      const last = this.#last.get(repeated.field);
      if (last && sameJson(payload, last.raw)) {
        const rest = repeated.rest.safeParse(value);
        if (rest.success) {
          rest.data[repeated.field] = last.valid;
          return rest as z.ZodSafeParseResult<JournalEvent>;
        }
      }
    }
    const parsed = JournalEvent.safeParse(value);
    if (parsed.success && repeated && payload !== undefined) {
      this.#last.set(repeated.field, { raw: payload, valid: (parsed.data as Record<string, unknown>)[repeated.field] });
    }
    return parsed;
  }
}
