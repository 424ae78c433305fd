import { describe, expect, it } from 'vitest';
import { SharedRead } from './shared-read.js';

/** A read whose answers the test hands out one at a time, counting how many were started. */
function controlledRead() {
  const started: { key: string; answer(value: number): void; fail(error: Error): void }[] = [];
  const read = new SharedRead<number>(
    (key) =>
      new Promise<number>((resolve, reject) => {
        started.push({ key, answer: resolve, fail: reject });
      }),
  );
  const nextStart = async () => {
    for (let i = 0; i < 100 && started.length === 0; i++) await Promise.resolve();
    const read = started.shift();
    if (!read) throw new Error('no read started');
    return read;
  };
  return { read, started, nextStart };
}

describe('SharedRead', () => {
  it('gives every caller of a burst the answer of one read', async () => {
    const { read, started, nextStart } = controlledRead();
    const answers = Promise.all(Array.from({ length: 50 }, () => read.get('ref')));
    (await nextStart()).answer(7);
    expect(await answers).toEqual(Array(50).fill(7));
    expect(started).toHaveLength(0);
  });

  it('never answers a caller with a read that started before it asked', async () => {
    const { read, started, nextStart } = controlledRead();
    const early = read.get('ref');
    const first = await nextStart();
    // These arrive while the first read is under way: it may predate what they must see.
    const late = Promise.all([read.get('ref'), read.get('ref')]);
    first.answer(1);
    expect(await early).toBe(1);
    const second = await nextStart();
    second.answer(2);
    expect(await late).toEqual([2, 2]);
    expect(started).toHaveLength(0);
  });

  it('reads different keys apart, and a failed read fails only its own callers', async () => {
    const { read, nextStart } = controlledRead();
    const a = read.get('a');
    const b = read.get('b');
    const reads = [await nextStart(), await nextStart()];
    reads.find((r) => r.key === 'a')!.fail(new Error('no such ref'));
    reads.find((r) => r.key === 'b')!.answer(3);
    await expect(a).rejects.toThrow('no such ref');
    expect(await b).toBe(3);
    const again = read.get('a');
    (await nextStart()).answer(4);
    expect(await again).toBe(4);
  });
});
