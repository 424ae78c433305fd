import type { ProgressEvent, TaskResultBody } from '@coordinate/protocol';

/** How one attempt of a task ended, as the scheduler sees it. */
export type AttemptOutcome =
  | { kind: 'result'; result: TaskResultBody }
  | { kind: 'lost'; reason: string }
  | { kind: 'cancelled' };

/** One line for the journal about a progress event. */
export function describeProgress(event: ProgressEvent): string {
  switch (event.kind) {
    case 'turn':
      return `turn ${event.turn}`;
    case 'tool_call':
      return `${event.tool} ${event.input.slice(0, 200)}`;
    case 'tool_result':
      return `${event.tool} ${event.ok ? 'ok' : 'failed'}: ${event.summary.slice(0, 200)}`;
    case 'denied':
      return `${event.tool} denied: ${event.reason.slice(0, 200)}`;
    case 'retry':
      return `retry ${event.attempt} in ${event.delayMs} ms: ${event.cause.slice(0, 200)}`;
    case 'log':
      return event.message.slice(0, 400);
  }
}
