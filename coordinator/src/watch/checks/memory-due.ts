import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openMemory } from '@coordinate/memory';
import { isAlive } from '../lock.js';

const HOUR_MS = 3_600_000;
/** An unfinished run whose journal moved this recently is taken to be under way. */
const ACTIVE_JOURNAL_MS = 5 * 60_000;

export interface DreamDue {
  runsSince: number;
  hoursSince: number;
}

/** Whether consolidation is due: `minRuns` runs ended and `minHours` passed since the last one. Reads the database only when it exists. */
export async function dreamDue(memoryFile: string, rule: { minRuns: number; minHours: number }, now: number): Promise<DreamDue | undefined> {
  if (!(await stat(memoryFile).catch(() => undefined))) return undefined;
  const store = openMemory(memoryFile, { readonly: true });
  try {
    const runsSince = store.runsSinceDream();
    const hoursSince = (now - store.lastDreamAt()) / HOUR_MS;
    return runsSince >= Math.max(1, rule.minRuns) && hoursSince >= rule.minHours ? { runsSince, hoursSince } : undefined;
  } finally {
    store.close();
  }
}

/**
 * The run under way in the repository, if any: one whose `lock` names a live process, or whose
 * journal has no `run.finished` and was written in the last few minutes. Dreaming then would
 * consolidate memory under a run that is still reading and writing it.
 */
export async function runUnderWay(coordinateDir: string, now: number): Promise<string | undefined> {
  const runsDir = join(coordinateDir, 'runs');
  for (const entry of await readdir(runsDir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    const dir = join(runsDir, entry.name);
    const lock = await readFile(join(dir, 'lock'), 'utf8').catch(() => undefined);
    const pid = lock === undefined ? undefined : Number((/"pid"\s*:\s*(\d+)/.exec(lock) ?? [])[1]);
    if (pid !== undefined && Number.isInteger(pid) && pid > 0 && isAlive(pid)) return entry.name;
    const journal = join(dir, 'journal.jsonl');
    const info = await stat(journal).catch(() => undefined);
    if (!info || now - info.mtimeMs > ACTIVE_JOURNAL_MS) continue;
    if (!(await readFile(journal, 'utf8')).includes('"type":"run.finished"')) return entry.name;
  }
  return undefined;
}
