import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '@coordinate/logging';
import type { Finding } from './findings.js';
import { inboxHeadings, readInbox } from './inbox.js';
import { announceDigest, deliver } from './notices.js';
import { WatchState } from './state.js';

let dir: string;
let paths: { inbox: string; digest: string };
const noon = Date.UTC(2026, 10, 30, 12);
const DAY = 86_400_000;
const finding = (level: Finding['level'], title: string): Finding => ({ key: title, kind: 'commit_checks_failed', level, title, detail: 'npm test\nexit 1', triage: false });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coordinate-notices-'));
  paths = { inbox: join(dir, 'inbox.md'), digest: join(dir, 'digest.md') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('deliver', () => {
  it('interrupts at most maxInterruptsPerDay times a day and files the rest in the digest, without control characters or secrets', async () => {
    const state = WatchState.parse({});
    const printed: string[] = [];
    const options = { paths, maxInterruptsPerDay: 2, print: (line: string) => printed.push(line), redact: createRedactor(['s3cret-value-123']), desktop: false, now: noon };
    const levels = [];
    for (const title of ['one \x1b[2Jbroke', 'two s3cret-value-123', 'three', 'four']) levels.push(await deliver(finding('now', title), state, options));
    expect(levels).toEqual(['now', 'now', 'digest', 'digest']);
    expect(printed.filter((line) => line.startsWith('\x07[now]'))).toHaveLength(2);
    const inbox = await readInbox(paths.inbox);
    expect(inbox).toContain('· now · one broke');
    expect(inbox).not.toContain('\x1b');
    expect(inbox).not.toContain('s3cret-value-123');
    expect(await inboxHeadings(paths.digest)).toHaveLength(2);
    // A new day has its own interrupts.
    expect(await deliver(finding('now', 'five'), state, { ...options, now: noon + DAY })).toBe('now');
  });

  it('keeps silent findings out of the inbox and the digest', async () => {
    const options = { paths, maxInterruptsPerDay: 5, print: () => undefined, redact: createRedactor([]), desktop: false, now: noon };
    expect(await deliver(finding('silent', 'dreamt'), WatchState.parse({}), options)).toBe('silent');
    expect(await readInbox(paths.inbox)).toBe('');
    expect(await readInbox(paths.digest)).toBe('');
  });
});

describe('announceDigest', () => {
  it("announces the previous day's digest once, on the first tick of the next day", async () => {
    const state = WatchState.parse({});
    const options = { paths, maxInterruptsPerDay: 0, print: () => undefined, redact: createRedactor([]), desktop: false, now: noon };
    await announceDigest(state, paths, noon);
    await deliver(finding('digest', 'a comment'), state, options);
    await deliver(finding('now', 'over the cap'), state, options);
    await announceDigest(state, paths, noon + 60_000);
    expect(await inboxHeadings(paths.inbox)).toEqual([]);
    await announceDigest(state, paths, noon + DAY);
    await announceDigest(state, paths, noon + DAY + 60_000);
    const headings = await inboxHeadings(paths.inbox);
    expect(headings).toHaveLength(1);
    expect(headings[0]).toMatch(/· digest · 2 findings in the digest of 2026-11-30$/);
  });
});
