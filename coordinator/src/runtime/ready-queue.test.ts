import PQueue from 'p-queue';
import { describe, expect, it } from 'vitest';
import { ReadyQueue, readyPriorities } from './ready-queue.js';

describe('the ready queue', () => {
  it('hands out the highest priority first, and first-come first among equals', () => {
    const queue = new ReadyQueue<string>();
    queue.enqueue('low', { priority: 1 });
    queue.enqueue('high-1', { priority: 5 });
    queue.enqueue('mid', { priority: 3 });
    queue.enqueue('high-2', { priority: 5 });
    expect([queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue()]).toEqual(['high-1', 'high-2', 'mid', 'low', undefined]);
  });

  it('lets a queued task be re-prioritised or removed by id', () => {
    const queue = new ReadyQueue<string>();
    queue.enqueue('a', { priority: 1, id: 'a' });
    queue.enqueue('b', { priority: 2, id: 'b' });
    queue.enqueue('c', { priority: 3, id: 'c' });
    queue.setPriority('a', 10);
    queue.remove('c');
    expect(queue.size).toBe(2);
    expect([queue.dequeue(), queue.dequeue()]).toEqual(['a', 'b']);
    expect(() => queue.setPriority('gone', 1)).toThrow(/no queued task with id "gone"/);
  });

  it('orders the jobs of a p-queue when used as its queue class', async () => {
    const order: string[] = [];
    const queue = new PQueue({ concurrency: 1, queueClass: ReadyQueue, autoStart: false });
    for (const [id, priority] of [['x', 1], ['y', 3], ['z', 2]] as const) void queue.add(async () => void order.push(id), { priority, id });
    queue.start();
    await queue.onIdle();
    expect(order).toEqual(['y', 'z', 'x']);
  });

  it('ranks a task by the longest chain it starts under critical-path order, and all alike under FIFO', () => {
    const tasks = [
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b'] },
      { id: 'lone', dependsOn: [] },
    ];
    expect(Object.fromEntries(readyPriorities(tasks, 'critical-path'))).toEqual({ a: 3, b: 2, c: 1, lone: 1 });
    expect(Object.fromEntries(readyPriorities(tasks, 'critical-path', (id) => (id === 'lone' ? 10 : 1)))).toMatchObject({ a: 3, lone: 10 });
    expect(new Set(readyPriorities(tasks, 'fifo').values())).toEqual(new Set([0]));
  });
});
