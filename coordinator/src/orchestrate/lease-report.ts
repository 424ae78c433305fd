import type { JournalEvent } from '../journal/events.js';
import type { LeaseReport } from '../report/index.js';

/** The run's file leases from its journal; undefined when no task took one. */
export function leasesOf(events: readonly JournalEvent[]): LeaseReport | undefined {
  let taken = 0;
  const denials: LeaseReport['denials'] = [];
  for (const event of events) {
    if (event.type === 'lease.taken') taken++;
    if (event.type === 'lease.denied') denials.push({ taskId: event.taskId, attempt: event.attempt, path: event.path, holder: event.holder });
  }
  return taken === 0 && denials.length === 0 ? undefined : { taken, denials };
}
