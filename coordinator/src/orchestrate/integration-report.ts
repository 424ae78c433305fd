import type { JournalEvent } from '../journal/events.js';
import type { CheckFailureReport, LeaseReport } from '../report/index.js';
import { MergeCheckData } from './errors.js';

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

/** Every merge that broke the run branch's check (`commands.check`) and was taken back, from the journal. */
export function checkFailuresOf(events: readonly JournalEvent[]): CheckFailureReport[] {
  return events.flatMap((event) => {
    if (event.type !== 'task.finished' || event.result.error?.code !== 'merge_check_failed') return [];
    const data = MergeCheckData.safeParse(event.result.error.data);
    return data.success ? [data.data] : [];
  });
}
