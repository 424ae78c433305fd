import { describe, expect, it } from 'vitest';
import { emptyUsage, type MergeConflictContext, type TaskResultBody, type TaskSpec } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { resolutionContextsOf, resolutionOriginsOf, resolutionTaskFor, takenOverOf } from './conflict-resolution.js';
import { MergeConflictError } from './errors.js';

const context: MergeConflictContext = {
  attempt: 1,
  files: [{ path: 'src/format.js', kind: 'add/add' }],
  metTasks: [{ id: 'money', title: 'Add formatMoney' }],
  keptAt: 'coordinate/r1-date-conflict1',
  ownPatch: '+export function formatDate() {}',
  runBranchChange: '+export function formatMoney() {}',
};
const date: TaskSpec = { id: 'date', title: 'Add formatDate', role: 'implement', instructions: 'Add formatDate to src/format.js.', dependsOn: ['setup'] };
const conflictResult: TaskResultBody = { outcome: 'failed', summary: 'done', usage: emptyUsage(), error: new MergeConflictError('date', context).toData() };

describe('a resolution task for a merge conflict', () => {
  it('starts where the conflicting task started, is told its intent, the files and their kinds', () => {
    const added = resolutionTaskFor(date, conflictResult, new Map())!;
    expect(added.task).toMatchObject({ id: 'date-resolve1', role: 'implement', dependsOn: ['setup'], files: ['src/format.js'] });
    expect(added.task.instructions).toContain('src/format.js (add/add)');
    expect(added.task.instructions).toContain('Add formatDate to src/format.js.');
    expect(added.reason).toMatchObject({ kind: 'conflict', after: 'date' });
  });

  it('is not added for other failures, and a chain of resolutions ends', () => {
    expect(resolutionTaskFor(date, { ...conflictResult, error: { code: 'task_failed', message: 'no' } }, new Map())).toBeUndefined();
    const origins = new Map();
    let failed = date;
    const ids: string[] = [];
    for (let added = resolutionTaskFor(failed, conflictResult, origins); added; added = resolutionTaskFor(failed, conflictResult, origins)) {
      ids.push(added.task.id);
      failed = added.task;
    }
    expect(ids).toEqual(['date-resolve1', 'date-resolve2', 'date-resolve3']);
  });

  it('is rebuilt from the journal on resume: what it took over, its chain and the conflict it is told of', () => {
    const added = resolutionTaskFor(date, conflictResult, new Map())!;
    const events: JournalEvent[] = [
      { type: 'task.finished', ts: 1, taskId: 'date', attempt: 1, result: conflictResult },
      { type: 'tasks.added', ts: 2, tasks: [added.task], reason: added.reason },
    ];
    expect(takenOverOf(events)).toEqual(new Map([['date', 'date-resolve1']]));
    expect(resolutionContextsOf(events)).toEqual(new Map([['date-resolve1', context]]));
    expect(resolutionOriginsOf(events, [date, added.task]).get('date-resolve1')).toMatchObject({ root: date, n: 1 });
  });
});
