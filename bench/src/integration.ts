import { fixed, printTable } from './table.js';
import { generatePlan } from './integration/generate.js';
import { simulateRun } from './integration/simulate.js';
import { writeResults } from './results.js';

const SEED = 20_261_130;
const PLANS = 20;
const WORKERS = 4;

/**
 * bench:integration — 20 seeded plans of 8–40 implementation tasks over a generated repository,
 * some write sets declared and some not, each run twice on a simulated clock: with overlaps
 * serialized at plan time and file leases at run time (the real `serializeOverlaps` and
 * `FileLeases`), and ignoring overlaps. Merges follow git's rule (a change meeting another on the
 * same or a neighbouring line conflicts) and a conflict becomes a resolution job on the head.
 */
function main(): void {
  const rows = [['seed', 'tasks', 'serialized', 'denials', 'conflicts (declared)', 'resolutions', 'lost', 'makespan', 'ignoring: conflicts', 'ignoring: makespan', 'ratio']];
  const totals = { declared: 0, lost: 0, resolutions: 0, conflicts: 0, ignoringConflicts: 0, makespan: 0, ignoringMakespan: 0, denials: 0, serialized: 0 };
  const ratios: number[] = [];
  for (let i = 0; i < PLANS; i++) {
    const plan = generatePlan(SEED + i);
    const run = simulateRun(plan, 'integrated', WORKERS);
    const base = simulateRun(plan, 'ignoring', WORKERS);
    const ratio = run.makespan / base.makespan;
    ratios.push(ratio);
    totals.declared += run.conflictsDeclared;
    totals.lost += run.editsLost;
    totals.resolutions += run.resolutionTasks;
    totals.conflicts += run.conflicts;
    totals.ignoringConflicts += base.conflicts;
    totals.makespan += run.makespan;
    totals.ignoringMakespan += base.makespan;
    totals.denials += run.leaseDenials;
    totals.serialized += run.serialized;
    rows.push([
      String(plan.seed),
      String(plan.tasks.length),
      String(run.serialized),
      String(run.leaseDenials),
      `${run.conflicts} (${run.conflictsDeclared})`,
      String(run.resolutionTasks),
      String(run.editsLost + base.editsLost),
      String(run.makespan),
      String(base.conflicts),
      String(base.makespan),
      fixed(ratio, 2).toFixed(2),
    ]);
  }
  printTable(rows);
  const json = {
    benchmark: 'integration',
    seed: SEED,
    plans: PLANS,
    workers: WORKERS,
    merge_conflicts_declared: totals.declared,
    edits_lost: totals.lost,
    makespan_ratio_serialized: fixed(totals.makespan / totals.ignoringMakespan),
    makespan_ratio_serialized_worst: fixed(Math.max(...ratios)),
    resolution_tasks: totals.resolutions,
    merge_conflicts: totals.conflicts,
    merge_conflicts_ignoring_overlaps: totals.ignoringConflicts,
    lease_denials: totals.denials,
    serialized_waits: totals.serialized,
    targets: { merge_conflicts_declared: 0, edits_lost: 0, makespan_ratio_serialized: 1.15 },
  };
  console.log(JSON.stringify(json, null, 2));
  writeResults('integration', json);
}

main();
