import { checkVerdict } from '@coordinate/tools';
import { describe, expect, it } from 'vitest';
import { warrantsFix } from './fix-decision.js';

const failed = { command: 'npm test', exitCode: 1, excerpt: 'exit code 1\n# fail 1\n' };
const passed = { command: 'npm test', exitCode: 0, excerpt: 'exit code 0\n# pass 2\n' };

describe('warrantsFix', () => {
  it('asks for a fix when a required command really failed on its last run, whatever the verdict claimed', () => {
    const lying = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }], commandsRun: [failed], required: ['npm test'] });
    expect(warrantsFix(lying, [failed])).toBe(true);
    const honest = checkVerdict({ outcome: 'failed', claimed: [{ command: 'npm test', exitCode: 1, excerpt: '# fail 1' }], commandsRun: [failed], required: ['npm test'] });
    expect(warrantsFix(honest, [failed])).toBe(true);
  });

  it('never asks for a fix because of bad evidence alone', () => {
    const sloppy = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '…' }], commandsRun: [passed], required: ['npm test'] });
    expect(warrantsFix(sloppy, [passed])).toBe(false);
    const neverRan = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }], commandsRun: [], required: ['npm test'] });
    expect(warrantsFix(neverRan, [])).toBe(false);
    // Fixed on its last run: an earlier failure is not something to fix.
    expect(warrantsFix(checkVerdict({ outcome: 'failed', claimed: [], commandsRun: [failed, passed], required: ['npm test'] }), [failed, passed])).toBe(false);
  });

  it('without required commands, asks for a fix only when a command that checks something last failed', () => {
    const weak = checkVerdict({ outcome: 'failed', claimed: [], commandsRun: [failed], required: [] });
    expect(warrantsFix(weak, [failed])).toBe(true);
    const exitOne = { command: 'exit 1', exitCode: 1, excerpt: 'exit code 1\n(no output)\n' };
    expect(warrantsFix(checkVerdict({ outcome: 'failed', claimed: [], commandsRun: [exitOne], required: [] }), [exitOne])).toBe(false);
  });
});
