import { measureDispatch, measureMessageRate } from './runtime/dispatch.js';
import { measureFixRoundStart } from './runtime/fix-round.js';
import { measureJournalReplay } from './runtime/journal-replay.js';
import { measureMakespans } from './runtime/makespan.js';
import { writeResults } from './results.js';
import { printTable } from './table.js';

const DISPATCH_TASKS = 10_000;
const FLOOD_MESSAGES = 200_000;
const DAGS = 20;
const WORKERS = 8;
const REPLAY_EVENTS = 10_000;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const fixed = (value: number, digits = 3) => Number(value.toFixed(digits));

const dispatch = await measureDispatch(DISPATCH_TASKS);
const rate = await measureMessageRate(FLOOD_MESSAGES);
const dags = measureMakespans(DAGS, WORKERS);
const replayMs = await measureJournalReplay(REPLAY_EVENTS);
const fixRoundStartMs = await measureFixRoundStart();

const results = {
  dispatch_p50_ms: fixed(dispatch.p50),
  dispatch_p99_ms: fixed(dispatch.p99),
  dispatch_samples: dispatch.samples,
  messages_per_s: Math.round(rate.perSecond),
  messages_counted: rate.received,
  makespan_ratio_cp_mean: fixed(mean(dags.map((d) => d.cp))),
  makespan_ratio_fifo_mean: fixed(mean(dags.map((d) => d.fifo))),
  makespan_ratio_cp_max: fixed(Math.max(...dags.map((d) => d.cp))),
  dags_cp_worse_than_fifo: dags.filter((d) => d.cp > d.fifo + 1e-9).length,
  fix_round_start_ms: fixed(fixRoundStartMs, 1),
  journal_replay_ms_10k: fixed(replayMs, 1),
  dags: dags.map((d) => ({ seed: d.seed, tasks: d.tasks, cp: fixed(d.cp), fifo: fixed(d.fifo) })),
  workers: WORKERS,
  node: process.version,
};

const table = [
  ['measure', 'value', 'target'],
  ['dispatch round trip p50', `${results.dispatch_p50_ms} ms`, '< 1 ms'],
  ['dispatch round trip p99', `${results.dispatch_p99_ms} ms`, ''],
  ['messages/s, one worker', `${results.messages_per_s}`, '>= 20,000'],
  ['makespan / lower bound, critical path (mean)', `${results.makespan_ratio_cp_mean}`, '<= 1.10'],
  ['makespan / lower bound, FIFO (mean)', `${results.makespan_ratio_fifo_mean}`, ''],
  ['DAGs where critical path is worse than FIFO', `${results.dags_cp_worse_than_fifo} of ${DAGS}`, '0'],
  ['fix round start (failed verification → fix task\'s first request)', `${results.fix_round_start_ms} ms`, '< 50 ms'],
  ['journal replay, 10,000 events', `${results.journal_replay_ms_10k} ms`, '< 100 ms'],
];
printTable(table);

writeResults('runtime', results);
