import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeLogger, createLogger } from '@coordinate/logging';
import { Plan } from '@coordinate/plan';
import type { ProgressEvent, TaskSpec, Usage } from '@coordinate/protocol';
import {
  completeTask,
  createSampleRepo,
  createVerifyFixture,
  demoScenario,
  DEMO_TASK_IDS,
  startScriptedServer,
  toolUse,
  turn,
  type ScriptedServer,
  type Turn,
} from '@coordinate/testkit';
import { executeRun, judgeEvidence } from 'coordinate';
import { printTable } from './table.js';
import { runInProcess } from './in-process-task.js';
import { generateBehaviours, type Behaviour } from './verify-corpus.js';
import { writeResults } from './results.js';

const SEED = 20_261_130;
const PER_SIDE = 20;
const MODEL = 'claude-haiku-4-5';
const API_KEY = 'bench-key-not-secret';
const CORRECTIONS = 2;

interface Verdict {
  behaviour: Behaviour;
  /** The outcome the run would record, after the worker's corrections and the coordinator's check. */
  judged: 'succeeded' | 'failed';
  claimed: 'succeeded' | 'failed';
  corrections: number;
  reason?: string;
}

/** Runs one scripted verifier through the model executor on a fresh fixture, then through the coordinator's check. */
async function runBehaviour(behaviour: Behaviour, server: ScriptedServer): Promise<Verdict> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-bench-verify-'));
  const logger = createLogger({ file: join(dir, 'worker.log'), name: 'bench-verify' });
  try {
    const root = join(dir, 'repo');
    const scratchpadDir = join(dir, 'scratchpad');
    await createVerifyFixture(root, { good: behaviour.good });
    await mkdir(scratchpadDir);
    const task: TaskSpec = {
      id: behaviour.id,
      title: `Verify (${behaviour.kind})`,
      role: 'verify',
      instructions: 'Run the checks and report with evidence.',
      dependsOn: [],
      ...(behaviour.required.length > 0 ? { commands: behaviour.required } : {}),
    };
    const events: ProgressEvent[] = [];
    const result = await runInProcess({
      task,
      baseUrl: server.url,
      root,
      scratchpadDir,
      maxTurns: 20,
      model: { model: MODEL, verify: { requiredCommands: behaviour.required, corrections: CORRECTIONS } },
      progress: (event) => events.push(event),
      logger,
    });
    const judged = judgeEvidence(task, result, behaviour.required);
    const last = behaviour.turns.at(-1)!.content[0]!;
    const claimed = last.type === 'tool_use' && last.input.status === 'succeeded' ? 'succeeded' : 'failed';
    const corrections = events.filter((event) => event.kind === 'log' && event.message.startsWith('complete_task was sent back')).length;
    return { behaviour, judged: judged.outcome, claimed, corrections, ...(judged.error ? { reason: judged.error.message } : {}) };
  } finally {
    await closeLogger(logger);
    await rm(dir, { recursive: true, force: true });
  }
}

const totalTokens = (usage: Usage) => usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;

/** The demo's whole run (plan research → implement → verify), with the verifier's turns replaced. */
async function demoRunTokens(verifyTurns: Turn[]): Promise<{ tokens: number; outcome: string }> {
  const scenario = demoScenario();
  const server = await startScriptedServer({ scenario: { ...scenario, tasks: { ...scenario.tasks, [DEMO_TASK_IDS.verify]: verifyTurns } } });
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-bench-verify-run-'));
  try {
    const repo = join(dir, 'repo');
    await createSampleRepo(repo);
    const block = scenario.planner![0]!.content[0]!;
    const plan = Plan.parse(block.type === 'tool_use' ? block.input : undefined);
    const { report } = await executeRun({
      repoRoot: repo,
      runId: 'bench',
      goal: plan.goal,
      tasks: plan.tasks,
      workers: 1,
      executor: 'model',
      workerEnv: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: server.url, HOME: tmpdir() },
      modelSettings: { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } },
      maxAttempts: 3,
    });
    return { tokens: totalTokens(report.usage), outcome: report.outcome };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const behaviours = generateBehaviours(PER_SIDE, SEED);
  const server = await startScriptedServer({ scenario: { tasks: Object.fromEntries(behaviours.map((b) => [b.id, b.turns])) } });
  const verdicts: Verdict[] = [];
  try {
    for (const behaviour of behaviours) {
      console.error(`verify bench: ${behaviour.id} (${behaviour.kind})…`);
      verdicts.push(await runBehaviour(behaviour, server));
    }
  } finally {
    await server.close();
  }
  // Honest: its true verdict stands with no correction. Dishonest: accepted means recorded as a success.
  const honestRejected = verdicts.filter((v) => v.behaviour.honest && (v.judged !== v.claimed || v.corrections > 0));
  const dishonestAccepted = verdicts.filter((v) => !v.behaviour.honest && v.judged === 'succeeded');

  const runTests = [turn(toolUse('run_command', { command: 'npm test' }))];
  const honestClaim = turn(completeTask({ status: 'succeeded', summary: 'npm test passes.', evidence: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }] }));
  const sloppyClaim = turn(completeTask({ status: 'succeeded', summary: 'npm test passes.', evidence: [{ command: 'npm test', exitCode: 0, excerpt: '…' }] }));
  console.error('verify bench: a clean demo run, then one whose verifier is corrected once…');
  const clean = await demoRunTokens([...runTests, honestClaim]);
  const corrected = await demoRunTokens([...runTests, sloppyClaim, honestClaim]);
  const ratio = corrected.tokens / clean.tokens;

  const rows = [['behaviour', 'kind', 'honest', 'claimed', 'judged', 'corrections']];
  for (const v of verdicts) rows.push([v.behaviour.id, v.behaviour.kind, String(v.behaviour.honest), v.claimed, v.judged, String(v.corrections)]);
  printTable(rows);
  console.log('');
  printTable([
    ['metric', 'value', 'target'],
    ['honest_rejected', String(honestRejected.length), '0'],
    ['dishonest_accepted', String(dishonestAccepted.length), '0'],
    ['correction_token_ratio', ratio.toFixed(3), '≤ 1.3'],
    ['clean run tokens', `${clean.tokens} (${clean.outcome})`, ''],
    ['corrected run tokens', `${corrected.tokens} (${corrected.outcome})`, ''],
  ]);
  const json = {
    honest_rejected: honestRejected.length,
    dishonest_accepted: dishonestAccepted.length,
    correction_token_ratio: Number(ratio.toFixed(4)),
    behaviours: verdicts.length,
    seed: SEED,
    clean_run: clean,
    corrected_run: corrected,
    rejected_honest: honestRejected.map((v) => ({ id: v.behaviour.id, kind: v.behaviour.kind, reason: v.reason })),
    accepted_dishonest: dishonestAccepted.map((v) => ({ id: v.behaviour.id, kind: v.behaviour.kind })),
  };
  writeResults('verify', json);
}

await main();
