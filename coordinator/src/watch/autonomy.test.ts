import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WatchConfig } from '../config/index.js';
import { Journal, readJournal } from '../journal/index.js';
import { AutonomyLedger } from './autonomy.js';

let dir: string;
let journal: Journal;
const tiers = WatchConfig.parse({ tiers: { edit: { actions: 2, usd: 1, minActions: 1, maxActions: 3 } } }).tiers;
const DAY = 86_400_000;
const noon = Date.UTC(2026, 10, 30, 12);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coordinate-autonomy-'));
  journal = await Journal.open(join(dir, 'journal.jsonl'));
});
afterEach(async () => {
  await journal.close();
  await rm(dir, { recursive: true, force: true });
});

describe('AutonomyLedger', () => {
  it('takes actions until the tier is spent for the day, and starts afresh the next day', async () => {
    const ledger = await AutonomyLedger.open(join(dir, 'autonomy.json'), tiers, journal, noon);
    expect(ledger.take('edit', 0.01, noon)).toBe(true);
    expect(ledger.take('edit', 0.01, noon)).toBe(true);
    expect(ledger.take('edit', 0.01, noon)).toBe(false);
    expect(ledger.left('edit', noon)).toEqual({ actions: 0, usd: 0.98 });
    expect(ledger.take('edit', 0.01, noon + DAY)).toBe(true);
  });

  it('refuses an action the dollars left cannot cover, and every external action by default', async () => {
    const ledger = await AutonomyLedger.open(join(dir, 'autonomy.json'), tiers, journal, noon);
    ledger.spend('edit', 0, 0.995, noon);
    expect(ledger.take('edit', 0.01, noon)).toBe(false);
    expect(ledger.take('external', 0.01, noon)).toBe(false);
  });

  it('moves a budget within its bounds, journals each change with its reason, and keeps it across a restart', async () => {
    const file = join(dir, 'autonomy.json');
    const ledger = await AutonomyLedger.open(file, tiers, journal, noon);
    ledger.adjust('edit', +1, 'coordinate/a was merged into main');
    ledger.adjust('edit', +1, 'coordinate/b was merged into main');
    ledger.adjust('edit', -5, 'coordinate/c was deleted without being merged');
    await ledger.save();
    await journal.sync();
    const changes = (await readJournal(journal.file)).events.map((e) => (e.type === 'watch.budget' ? [e.from, e.to, e.reason] : []));
    expect(changes).toEqual([
      [2, 3, 'coordinate/a was merged into main'],
      [3, 1, 'coordinate/c was deleted without being merged'],
    ]);
    expect((await AutonomyLedger.open(file, tiers, journal, noon + DAY)).budgetOf('edit')).toBe(1);
  });
});
