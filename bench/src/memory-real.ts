import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openMemory } from '@coordinate/memory';
import { Bm25Baseline } from './locomo-bm25.js';
import { QUESTION_KINDS, readLocomo, type LocomoConversation } from './locomo-data.js';
import { percentile } from './memory-metrics.js';
import { writeResults } from './results.js';
import { printTable } from './table.js';

/**
 * `npm run bench:memory-real -- --locomo <folder>`: team memory against plain BM25 on LoCoMo, each
 * conversation in a store of its own. Tuning happens on DEV only; the figures that count are HELD_OUT's.
 */
const DEV = ['26', '30', '41', '42', '43'];
const HELD_OUT = ['44', '47', '48', '49', '50'];
const KS = [1, 5, 10, 25] as const;
const ADVERSARIAL = 5;

interface Outcome {
  conversation: string;
  category: number;
  evidence: string[];
  ours: string[][];
  bm25: string[][];
  ms: number;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** One turn as one fact: who said it, what, any photo they shared, and the day, in the text like a note would hold them. */
const turnText = (speaker: string, text: string, caption: string | undefined, at: number) =>
  `${speaker}: ${text}${caption ? ` [shared a photo: ${caption}]` : ''} (said on ${DATE.format(at)})`;

function runConversation(conversation: LocomoConversation): Outcome[] {
  const dir = mkdtempSync(join(tmpdir(), 'coordinate-bench-locomo-'));
  let at = 0;
  const memory = openMemory(join(dir, 'memory.db'), { now: () => at });
  const baseline = new Bm25Baseline();
  try {
    const turnsOf = new Map<string, Set<string>>();
    for (const session of conversation.sessions) {
      session.turns.forEach((turn, i) => {
        // A second a turn keeps the turns of a session in order and on the session's day.
        at = session.at + i * 1000;
        const text = turnText(turn.speaker, turn.text, turn.caption, at);
        const { id } = memory.admit({ kind: 'fact', text, tags: [`session-${session.index}`], source: { runId: `locomo-${conversation.id}`, taskId: `session-${session.index}` } });
        turnsOf.set(id, (turnsOf.get(id) ?? new Set()).add(turn.diaId));
        baseline.add(turn.diaId, text);
      });
    }
    at = Math.max(...conversation.sessions.map((s) => s.at)) + 86_400_000;
    const limit = 25;
    return conversation.questions.map((q) => {
      const started = performance.now();
      const found = memory.retrieve({ query: q.question, tokenBudget: 1_000_000, limit });
      const ms = performance.now() - started;
      return {
        conversation: conversation.id,
        category: q.category,
        evidence: q.evidence,
        ours: found.map((r) => [...(turnsOf.get(r.id) ?? [])]),
        bm25: baseline.query(q.question, limit).map((key) => [key]),
        ms,
      };
    });
  } finally {
    memory.close();
    baseline.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The share of a question's evidence turns among the first k results. */
function recall(results: string[][], evidence: string[], k: number): number {
  const top = new Set(results.slice(0, k).flat());
  return evidence.filter((id) => top.has(id)).length / evidence.length;
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const round = (n: number) => Number(n.toFixed(4));

function summarize(outcomes: Outcome[]) {
  const answerable = outcomes.filter((o) => o.category !== ADVERSARIAL && o.evidence.length > 0);
  const at = (pick: (o: Outcome) => string[][], k: number, kind?: number) =>
    mean(answerable.filter((o) => kind === undefined || o.category === kind).map((o) => recall(pick(o), o.evidence, k)));
  const ours = (o: Outcome) => o.ours;
  const bm25 = (o: Outcome) => o.bm25;
  const adversarial = outcomes.filter((o) => o.category === ADVERSARIAL);
  const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    questions: outcomes.length,
    answerable: answerable.length,
    recall: Object.fromEntries(KS.map((k) => [k, { ours: at(ours, k), bm25: at(bm25, k) }])),
    byKind: Object.fromEntries(
      [1, 2, 3, 4].map((kind) => [QUESTION_KINDS[kind]!, Object.fromEntries(KS.map((k) => [k, { ours: at(ours, k, kind), bm25: at(bm25, k, kind) }]))]),
    ),
    emptyAnswerable: mean(answerable.map((o) => (o.ours.length === 0 ? 1 : 0))),
    adversarialAbstained: { ours: mean(adversarial.map((o) => (o.ours.length === 0 ? 1 : 0))), bm25: mean(adversarial.map((o) => (o.bm25.length === 0 ? 1 : 0))) },
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
  };
}

function printSummary(title: string, s: ReturnType<typeof summarize>): void {
  const rows: string[][] = [['', ...KS.map((k) => `k=${k}`)]];
  rows.push(['team memory', ...KS.map((k) => s.recall[k]!.ours.toFixed(3))]);
  rows.push(['FTS5 BM25', ...KS.map((k) => s.recall[k]!.bm25.toFixed(3))]);
  rows.push(['ratio', ...KS.map((k) => (s.recall[k]!.ours / Math.max(1e-9, s.recall[k]!.bm25)).toFixed(2))]);
  for (const [kind, r] of Object.entries(s.byKind)) {
    rows.push([`  ${kind}`, ...KS.map((k) => r[k]!.ours.toFixed(3))]);
    rows.push([`  ${kind}, BM25`, ...KS.map((k) => r[k]!.bm25.toFixed(3))]);
  }
  console.log(`\n${title}: ${s.questions} questions, ${s.answerable} answerable`);
  printTable(rows);
  console.log(`answerable questions with nothing returned: ${(s.emptyAnswerable * 100).toFixed(1)}%`);
  console.log(`adversarial questions (kind 5) with nothing returned: ours ${(s.adversarialAbstained.ours * 100).toFixed(1)}%, BM25 ${(s.adversarialAbstained.bm25 * 100).toFixed(1)}%`);
  console.log(`retrieval latency: p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms`);
}

function main(): void {
  const { values } = parseArgs({ options: { locomo: { type: 'string' }, conversations: { type: 'string' } } });
  if (!values.locomo) {
    console.error('usage: npm run bench:memory-real -- --locomo <folder of a snap-research/locomo clone> [--conversations 26,30]');
    process.exitCode = 2;
    return;
  }
  const wanted = values.conversations?.split(',') ?? [...DEV, ...HELD_OUT];
  const conversations = readLocomo(values.locomo).filter((c) => wanted.includes(c.id));
  const outcomes: Outcome[] = [];
  for (const conversation of conversations) {
    console.error(`memory-real: conversation ${conversation.id}…`);
    outcomes.push(...runConversation(conversation));
  }
  const dev = summarize(outcomes.filter((o) => DEV.includes(o.conversation)));
  const heldOut = summarize(outcomes.filter((o) => HELD_OUT.includes(o.conversation)));
  if (dev.questions > 0) printSummary('development conversations (26, 30, 41, 42, 43)', dev);
  if (heldOut.questions === 0) return;
  printSummary('held-out conversations (44, 47, 48, 49, 50): the figures that count', heldOut);
  const multihop = heldOut.byKind['multi-hop']![10]!;
  const devMultihop = dev.byKind['multi-hop']?.[10];
  const json = {
    conversations: HELD_OUT,
    questions: heldOut.questions,
    recall_at_1: round(heldOut.recall[1]!.ours),
    recall_at_5: round(heldOut.recall[5]!.ours),
    recall_at_10: round(heldOut.recall[10]!.ours),
    recall_at_25: round(heldOut.recall[25]!.ours),
    bm25_recall_at_1: round(heldOut.recall[1]!.bm25),
    bm25_recall_at_5: round(heldOut.recall[5]!.bm25),
    bm25_recall_at_10: round(heldOut.recall[10]!.bm25),
    bm25_recall_at_25: round(heldOut.recall[25]!.bm25),
    multihop_recall_at_10: round(multihop.ours),
    bm25_multihop_recall_at_10: round(multihop.bm25),
    recall_by_kind: Object.fromEntries(
      Object.entries(heldOut.byKind).map(([kind, r]) => [kind, Object.fromEntries(KS.map((k) => [`k${k}`, { ours: round(r[k]!.ours), bm25: round(r[k]!.bm25) }]))]),
    ),
    answerable_empty_share: round(heldOut.emptyAnswerable),
    adversarial_abstained_share: round(heldOut.adversarialAbstained.ours),
    p50_ms: round(heldOut.p50),
    p95_ms: round(heldOut.p95),
    targets: { recall_at_10_ratio: 1.2, multihop_recall_at_10_ratio: 1.5 },
    development: { recall_at_10: round(dev.recall[10]!.ours), bm25_recall_at_10: round(dev.recall[10]!.bm25), multihop_recall_at_10: round(devMultihop?.ours ?? 0), bm25_multihop_recall_at_10: round(devMultihop?.bm25 ?? 0) },
  };
  writeResults('memory-real', json);
}

main();
