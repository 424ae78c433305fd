import { describe, expect, it } from 'vitest';
import { emptyUsage, type MergeConflictContext, type TaskResultBody } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { pendingConflictsOf } from './conflict-report.js';
import { MergeConflictError } from './errors.js';

const context: MergeConflictContext = {
  attempt: 1,
  files: [{ path: 'src/format.js', kind: 'add/add' }],
  metTasks: [{ id: 'money', title: 'Add formatMoney' }],
  keptAt: 'coordinate/r1-date-conflict1',
  ownPatch: '+export function formatDate() {}',
  runBranchChange: '+export function formatMoney() {}',
};
const result = (body: Partial<TaskResultBody>): TaskResultBody => ({ outcome: 'succeeded', summary: 'done', usage: emptyUsage(), ...body });
const conflicted: JournalEvent = {
  type: 'task.finished',
  ts: 1,
  taskId: 'date',
  attempt: 1,
  result: result({ outcome: 'failed', error: new MergeConflictError('date', context).toData() }),
};
const assigned = (attempt: number): JournalEvent => ({ type: 'task.assigned', ts: 2, taskId: 'date', attempt, workerId: 'w1' });
const finished = (attempt: number, body: Partial<TaskResultBody>): JournalEvent => ({ type: 'task.finished', ts: 3, taskId: 'date', attempt, result: result(body) });

describe('conflicts a resumed run must still resolve', () => {
  it('tells the next attempt the journaled context, starting over when no retry had begun', () => {
    expect(pendingConflictsOf([conflicted])).toEqual(new Map([['date', { context, startOver: true }]]));
  });

  it('keeps the context but not the start-over once a retry was handed out, also when a person stopped it', () => {
    const stopped = finished(2, { outcome: 'failed', error: { code: 'cancelled', message: 'interrupted' } });
    expect(pendingConflictsOf([conflicted, assigned(2)]).get('date')).toEqual({ context, startOver: false });
    expect(pendingConflictsOf([conflicted, assigned(2), stopped]).get('date')).toEqual({ context, startOver: false });
  });

  it('has nothing to tell once a later attempt reached a verdict', () => {
    expect(pendingConflictsOf([conflicted, assigned(2), finished(2, { changedFiles: ['src/format.js'] })]).size).toBe(0);
  });
});
