import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchInterrupts } from './interrupts.js';

function setup() {
  const source = new EventEmitter();
  const exits: number[] = [];
  const notes: string[] = [];
  const interrupts = watchInterrupts(source, (code) => exits.push(code), (text) => notes.push(text));
  return { source, exits, notes, interrupts };
}

describe('Ctrl-C', () => {
  it('exits at once with 130 while nothing needs stopping (planning, approval)', () => {
    const { source, exits, interrupts } = setup();
    source.emit('SIGINT');
    expect(exits).toEqual([130]);
    interrupts.dispose();
  });

  it('during a run aborts the signal first, and exits at once on the second press', async () => {
    const { source, exits, notes, interrupts } = setup();
    let release!: () => void;
    const running = interrupts.whileStoppable(() => new Promise<void>((resolve) => (release = resolve)));
    source.emit('SIGINT');
    expect(interrupts.signal.aborted).toBe(true);
    expect(exits).toEqual([]);
    expect(notes.join('')).toMatch(/Ctrl-C again/);
    source.emit('SIGINT');
    expect(exits).toEqual([130]);
    release();
    await running;
    interrupts.dispose();
    expect(source.listenerCount('SIGINT')).toBe(0);
  });
});
