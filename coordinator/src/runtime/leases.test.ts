import { describe, expect, it } from 'vitest';
import { emptyUsage } from '@coordinate/protocol';
import type { NewJournalEvent } from '../journal/events.js';
import { FileLeases } from './leases.js';

function leases() {
  const events: NewJournalEvent[] = [];
  const titles: Record<string, string> = { a: 'Fix add', b: 'Swap multiply' };
  const table = new FileLeases({ record: (event) => events.push(event), spec: (id) => (titles[id] ? { title: titles[id] } : undefined) });
  return { table, events };
}

describe('file leases', () => {
  it('grant a free file, grant it again to its holder, and refuse it to another task naming the holder and its latest step', () => {
    const { table, events } = leases();
    expect(table.take({ taskId: 'a', attempt: 1, path: 'src/math.js' })).toEqual({ type: 'lease.granted', path: 'src/math.js' });
    table.observe({ type: 'task.progress', ts: 1, taskId: 'a', attempt: 1, summary: 'edit_file src/math.js' });
    expect(table.take({ taskId: 'a', attempt: 1, path: 'src/math.js' })).toEqual({ type: 'lease.granted', path: 'src/math.js' });
    expect(table.take({ taskId: 'b', attempt: 2, path: 'src/math.js' })).toEqual({
      type: 'lease.denied',
      path: 'src/math.js',
      holder: { taskId: 'a', title: 'Fix add', doing: 'edit_file src/math.js' },
    });
    expect(events).toEqual([
      { type: 'lease.taken', taskId: 'a', attempt: 1, path: 'src/math.js' },
      { type: 'lease.denied', taskId: 'b', attempt: 2, path: 'src/math.js', holder: 'a' },
    ]);
  });

  it('are released when the holder’s result is in, and not while it is only retried', () => {
    const { table, events } = leases();
    table.take({ taskId: 'a', attempt: 1, path: 'x.js' });
    table.observe({ type: 'task.failed', ts: 1, taskId: 'a', attempt: 1, error: { code: 'executor_error', message: 'crashed' }, willRetry: true });
    expect(table.take({ taskId: 'b', attempt: 1, path: 'x.js' }).type).toBe('lease.denied');
    table.observe({ type: 'task.finished', ts: 2, taskId: 'a', attempt: 2, result: { outcome: 'succeeded', summary: 'ok', usage: emptyUsage() } });
    expect(events.at(-1)).toEqual({ type: 'lease.released', taskId: 'a', paths: ['x.js'], reason: 'merged' });
    expect(table.take({ taskId: 'b', attempt: 1, path: 'x.js' }).type).toBe('lease.granted');
  });
});
