import { fixed, printTable } from './table.js';
import { generatePlan } from './integration/generate.js';
import { runPlanForReal, UNIT_MS } from './integration/run.js';
import { writeResults } from './results.js';

const SEED = 20_261_130;
const PLANS = Number(process.env.BENCH_PLANS ?? 20);
const WORKERS = 4;

/**
 * bench:integration — 20 seeded plans of 8–40 implementation tasks over a generated repository,
 * some write sets declared and some not, each run twice through the real coordinator (scheduler,
 * worker processes with the deterministic executor applying scripted line edits, git merges into the
 * run branch): with overlaps serialized at plan time and file leases at run time, and ignoring
 * overlaps (no serialization, no leases: what meets at merge becomes a resolution task).
 * A task of duration d sleeps d × UNIT_MS after its edits. Makespan is measured in task-time units
 * from each run's journal (`replayMakespan`: the run's real order, each attempt costing its scripted
 * units, a lease-refused one none); the wall-clock ratio, which adds worktree, merge and dispatch
 * costs and the machine's load, is printed beside it.
 */
async function main(): Promise<void> {
  const rows = [['seed', 'tasks', 'serialized', 'denials', 'waits', 'conflicts (declared)', 'resolutions', 'lost', 'makespan', 'ignoring: conflicts', 'ignoring: makespan', 'ratio']];
  const totals = { wall: 0, ignoringWall: 0, declared: 0, lost: 0, resolutions: 0, conflicts: 0, ignoringConflicts: 0, makespan: 0, ignoringMakespan: 0, denials: 0, waits: 0, serialized: 0, failedRuns: 0 };
  const ratios: number[] = [];
  for (let i = 0; i < PLANS; i++) {
    const plan = generatePlan(SEED + i);
    const run = await runPlanForReal(plan, 'integrated', WORKERS);
    const base = await runPlanForReal(plan, 'ignoring', WORKERS);
    const ratio = run.makespan / base.makespan;
    ratios.push(ratio);
    totals.declared += run.conflictsDeclared;
    totals.lost += run.editsLost + base.editsLost;
    totals.resolutions += run.resolutionTasks;
    totals.conflicts += run.conflicts;
    totals.ignoringConflicts += base.conflicts;
    totals.makespan += run.makespan;
    totals.wall += run.wallMakespan;
    totals.ignoringWall += base.wallMakespan;
    totals.ignoringMakespan += base.makespan;
    totals.denials += run.leaseDenials;
    totals.waits += run.leaseWaits;
    totals.serialized += run.serialized;
    totals.failedRuns += Number(run.outcome !== 'succeeded') + Number(base.outcome !== 'succeeded');
    rows.push([
      String(plan.seed),
      String(plan.tasks.length),
      String(run.serialized),
      String(run.leaseDenials),
      String(run.leaseWaits),
      `${run.conflicts} (${run.conflictsDeclared})`,
      String(run.resolutionTasks),
      String(run.editsLost + base.editsLost),
      run.makespan.toFixed(1),
      String(base.conflicts),
      base.makespan.toFixed(1),
      fixed(ratio, 2).toFixed(2),
    ]);
  }
  printTable(rows);
  const json = {
    benchmark: 'integration',
    seed: SEED,
    plans: PLANS,
    workers: WORKERS,
    unit_ms: UNIT_MS,
    merge_conflicts_declared: totals.declared,
    edits_lost: totals.lost,
    makespan_ratio_serialized: fixed(totals.makespan / totals.ignoringMakespan),
    makespan_ratio_serialized_worst: fixed(Math.max(...ratios)),
    makespan_ratio_wall_clock: fixed(totals.wall / totals.ignoringWall),
    resolution_tasks: totals.resolutions,
    merge_conflicts: totals.conflicts,
    merge_conflicts_ignoring_overlaps: totals.ignoringConflicts,
    lease_denials: totals.denials,
    lease_waits: totals.waits,
    serialized_waits: totals.serialized,
    runs_not_succeeded: totals.failedRuns,
    targets: { merge_conflicts_declared: 0, edits_lost: 0, makespan_ratio_serialized: 1.15 },
  };
  console.log(JSON.stringify(json, null, 2));
  writeResults('integration', json);
}

await main();
