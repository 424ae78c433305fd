import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CoordinateError,
  decodeCoordinatorMessage,
  decodeWorkerMessage,
  encode,
  type CoordinatorMessage,
  type Outgoing,
} from '@coordinate/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerScratchpadRequest } from './answer.js';
import { LocalScratchpad } from './local.js';
import { RemoteScratchpad } from './remote.js';
import type { ScratchpadContentMessage, ScratchpadRequest } from './types.js';

let dir: string;
let local: LocalScratchpad;
let held: Set<string>;
let frames: string[];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-remote-scratchpad-'));
  local = new LocalScratchpad(dir);
  held = new Set(['t1']);
  frames = [];
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Both sides of the wire: the worker's request goes out as a frame, the coordinator answers with one. */
async function overTheWire(request: ScratchpadRequest): Promise<ScratchpadContentMessage> {
  const outgoing = encode(request);
  frames.push(outgoing);
  const decoded = decodeWorkerMessage(outgoing);
  if (!decoded.ok) throw decoded.error;
  const message = decoded.message;
  if (message.type !== 'scratchpad.read' && message.type !== 'scratchpad.write') throw new Error(`unexpected ${message.type}`);
  let reply: Outgoing<CoordinatorMessage>;
  try {
    reply = await answerScratchpadRequest(local, message, (taskId) => held.has(taskId));
  } catch (error) {
    if (!(error instanceof CoordinateError)) throw error;
    reply = { type: 'error', error: error.toData(), replyTo: message.id };
  }
  const back = decodeCoordinatorMessage(encode(reply));
  if (!back.ok) throw back.error;
  expect(back.message.replyTo).toBe(message.id);
  if (back.message.type === 'error') throw new CoordinateError(back.message.error.code, back.message.error.message);
  if (back.message.type !== 'scratchpad.content') throw new Error(`unexpected ${back.message.type}`);
  return back.message;
}

describe('RemoteScratchpad through answerScratchpadRequest', () => {
  it('writes, reads and lists a local scratchpad over encoded frames', async () => {
    const remote = new RemoteScratchpad(overTheWire);
    await remote.write('t1', 'notes/plan.md', '# plan\nstep 1');
    await local.write('t2', 'other.md', 'from t2');

    expect(await fs.readFile(path.join(dir, 't1', 'notes', 'plan.md'), 'utf8')).toBe('# plan\nstep 1');
    expect(await remote.read('t1/notes/plan.md')).toBe('# plan\nstep 1');
    expect(await remote.read('t2/other.md')).toBe('from t2');
    expect(await remote.read('t2/missing.md')).toBeUndefined();
    expect(await remote.read('t1/notes')).toBeUndefined();
    expect(await remote.list()).toEqual(['t1/notes/plan.md', 't2/other.md']);
    expect(await remote.list('t1')).toEqual(['t1/notes/plan.md']);
    expect(frames.map((frame) => JSON.parse(frame).type)).toContain('scratchpad.write');
  });

  it('answers a read of a folder with its entries', async () => {
    await local.write('t1', 'a.md', 'a');
    await local.write('t1', 'b/c.md', 'c');
    const reply = await overTheWire({ type: 'scratchpad.read', name: 't1' });
    expect(reply).toMatchObject({ name: 't1', exists: true, entries: ['t1/a.md', 't1/b/c.md'] });
    expect(reply.content).toBeUndefined();
  });

  it('refuses a write for a task the worker does not hold', async () => {
    const remote = new RemoteScratchpad(overTheWire);
    await expect(remote.write('t2', 'sneaky.md', 'x')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await local.list()).toEqual([]);
  });

  it('carries a bad name from a peer back as invalid_name without touching the disk', async () => {
    await expect(overTheWire({ type: 'scratchpad.write', taskId: 't1', name: '../../evil', content: 'x' })).rejects.toMatchObject({
      code: 'invalid_name',
    });
    await expect(overTheWire({ type: 'scratchpad.read', name: '/etc/passwd' })).rejects.toMatchObject({ code: 'invalid_name' });
    expect(await local.list()).toEqual([]);
  });

  it('checks names on the worker before anything is sent', async () => {
    const remote = new RemoteScratchpad(overTheWire);
    await expect(remote.read('a/../../b')).rejects.toMatchObject({ code: 'invalid_name' });
    await expect(remote.write('t1', 'a\\b', 'x')).rejects.toMatchObject({ code: 'invalid_name' });
    expect(frames).toEqual([]);
  });
});
