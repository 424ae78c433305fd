import { performance } from 'node:perf_hooks';
import { createModelClient } from '@coordinate/model';
import { openMemory } from '@coordinate/memory';
import { addUsage, emptyUsage, type Usage } from '@coordinate/protocol';
import { memoryDbPath } from '../commands/memory-repo.js';
import { priceTable, roleModels } from '../commands/settings.js';
import type { WatchDecision } from '../journal/index.js';
import { coordinateDir } from '../run/layout.js';
import { carryOut } from './actions.js';
import { checkCommit } from './checks/commit-checks.js';
import { branchHeads, movedHeads } from './checks/git-heads.js';
import { readPullRequests } from './checks/github.js';
import { dreamDue, runUnderWay } from './checks/memory-due.js';
import { findingRecord, type Finding } from './findings.js';
import { announceDigest, deliver } from './notices.js';
import { settleOutcomes } from './outcomes.js';
import { plainText } from './plain-text.js';
import type { WatchSession } from './session.js';
import { triage } from './triage.js';

interface TickRecord {
  checked: string[];
  changed: string[];
  findings: Finding[];
  decisions: WatchDecision[];
  usage: Usage;
}

const short = (commit: string) => commit.slice(0, 8);
const configuredCommands = (session: WatchSession) => (['build', 'lint', 'test'] as const).flatMap((name) => session.settings.commands[name] ?? []);

/**
 * One tick: deterministic checks first (git heads and the project's commands on new commits,
 * pull requests and their checks, memory consolidation due), then, only when a check found
 * something worth it, one triage request to the model and the actions it decided on. Ends with
 * one `watch.tick` receipt in the watcher's journal. A tick where nothing changed makes no
 * model request.
 */
export async function runTick(session: WatchSession, reason: 'start' | 'interval'): Promise<void> {
  const started = performance.now();
  const tick: TickRecord = { checked: [], changed: [], findings: [], decisions: [], usage: emptyUsage() };
  await announceDigest(session.state, session.paths, Date.now());
  await checkGit(session, tick);
  await checkPullRequests(session, tick);
  await checkMemory(session, tick);
  tick.changed.push(...(await settleOutcomes(session)));
  for (const finding of tick.findings) {
    await deliver(finding, session.state, {
      paths: session.paths,
      maxInterruptsPerDay: session.watch.maxInterruptsPerDay,
      print: session.print,
      redact: session.redact,
      desktop: session.desktop,
      now: Date.now(),
    });
  }
  const worth = tick.findings.filter((f) => f.triage);
  if (worth.length > 0) await triageAndAct(session, tick, worth);
  session.state.ticks++;
  session.journal.append({
    type: 'watch.tick',
    tick: session.state.ticks,
    reason,
    checked: tick.checked,
    changed: tick.changed,
    findings: tick.findings.map(findingRecord),
    usage: tick.usage,
    decisions: tick.decisions,
    durationMs: Math.round(performance.now() - started),
  });
  await session.journal.sync();
  await session.ledger.save();
  const summary = { tick: session.state.ticks, changed: tick.changed, findings: tick.findings.length, decisions: tick.decisions.length, costUsd: tick.usage.costUsd };
  session.log.info(summary, 'tick');
  if (tick.changed.length > 0) session.print(`tick ${summary.tick}: ${tick.changed.join('; ')}`);
}

async function checkGit(session: WatchSession, tick: TickRecord): Promise<void> {
  const { repoRoot, state } = session;
  tick.checked.push(`git heads of ${session.branches.join(', ')}`);
  const heads = await branchHeads(repoRoot, session.branches);
  const moved = movedHeads(heads, state.heads);
  state.heads = { ...state.heads, ...heads };
  const commands = configuredCommands(session);
  for (const head of moved) {
    tick.changed.push(`${head.branch} ${short(head.from)}..${short(head.to)}`);
    if (commands.length === 0) continue;
    tick.checked.push(`${commands.join(', ')} on ${short(head.to)}`);
    const results = await checkCommit({ repo: repoRoot, commit: head.to, commands, worktreesDir: session.paths.worktrees, timeoutMs: session.checkBudgetMs, sandbox: session.sandbox, signal: session.signal });
    const failed = results.find((r) => r.exitCode !== 0);
    if (!failed) continue;
    tick.findings.push({
      key: `commit:${head.to}`,
      kind: 'commit_checks_failed',
      level: head.branch === session.defaultBranch ? 'now' : 'digest',
      title: `${head.branch} broke at ${short(head.to)}: \`${failed.command}\` ${failed.timedOut ? 'timed out' : `exited ${failed.exitCode}`}`,
      detail: failed.excerpt,
      triage: true,
    });
  }
}

async function checkPullRequests(session: WatchSession, tick: TickRecord): Promise<void> {
  const { github, state } = session;
  if (!github) return;
  tick.checked.push(`pull requests of ${github.repo}`);
  let prs;
  try {
    prs = await readPullRequests(github);
  } catch (error) {
    // GitHub being down is not the person's problem to hear about at once; the receipt says it.
    tick.changed.push(`pull requests not read: ${(error as Error).message}`);
    session.log.warn({ err: error }, 'pull requests not read');
    return;
  }
  const failingKeys = prs.failing.map((f) => `check:${f.pr.number}:${f.name}:${f.sha}`);
  prs.failing.forEach((failure, i) => {
    if (state.failingChecks.includes(failingKeys[i]!)) return;
    tick.findings.push({
      key: failingKeys[i]!,
      kind: 'pull_request_check_failed',
      level: 'now',
      title: `pull request #${failure.pr.number} (${failure.pr.title}): check "${failure.name}" ${failure.conclusion}`,
      detail: `${failure.pr.html_url ?? ''}\nbranch ${failure.pr.head.ref} at ${short(failure.sha)}`.trim(),
      triage: true,
    });
  });
  state.failingChecks = failingKeys;
  const ids = prs.comments.map((c) => c.comment.id);
  if (state.seenComments !== undefined) {
    const seen = new Set(state.seenComments);
    for (const { pr, comment } of prs.comments) {
      if (seen.has(comment.id)) continue;
      tick.findings.push({
        key: `comment:${comment.id}`,
        kind: 'review_comment',
        level: 'digest',
        title: `review comment on #${pr.number} (${pr.title}) by ${comment.user?.login ?? 'someone'}${comment.path ? ` on ${comment.path}` : ''}`,
        detail: comment.body.slice(0, 2000),
        triage: false,
      });
    }
  }
  state.seenComments = ids;
}

async function checkMemory(session: WatchSession, tick: TickRecord): Promise<void> {
  const file = memoryDbPath(session.repoRoot);
  const now = Date.now();
  tick.checked.push('memory consolidation due');
  const due = await dreamDue(file, session.watch.dream, now);
  if (!due) return;
  const busy = await runUnderWay(coordinateDir(session.repoRoot), now);
  if (busy) {
    tick.changed.push(`memory consolidation due, waiting: run ${busy} is under way`);
    return;
  }
  tick.findings.push({ key: `dream:${now}`, kind: 'dream_due', level: 'silent', title: `memory consolidation due (${due.runsSince} runs since the last)`, detail: '', triage: false });
  const request = { kind: 'dream' as const, reason: `${due.runsSince} runs and ${Math.floor(due.hoursSince)} h since the last consolidation` };
  const decided = await carryOut(session, request);
  if (decided.outcome === 'done') {
    const store = openMemory(file, { repoRoot: session.repoRoot });
    try {
      const report = await store.dream();
      decided.detail = `consolidated: ${report.changes.length} change${report.changes.length === 1 ? '' : 's'}; ${report.memoryMd.path}`;
    } finally {
      store.close();
    }
  }
  tick.decisions.push(decided);
}

async function triageAndAct(session: WatchSession, tick: TickRecord, findings: Finding[]): Promise<void> {
  const now = Date.now();
  const left = session.ledger.left('observe', now);
  const base = { action: 'triage', tier: 'observe' as const };
  if (left.actions < 1 || left.usd <= 0) {
    tick.decisions.push({ ...base, outcome: 'refused', detail: "the observe tier's daily budget is spent; the findings wait in the inbox", budgetLeft: left });
    return;
  }
  let result;
  try {
    const model = roleModels(session.settings).planner;
    result = await triage({ client: createModelClient({ env: session.context.env }), model, pricing: priceTable(session.settings), findings, signal: session.signal });
  } catch (error) {
    tick.decisions.push({ ...base, outcome: 'failed', detail: `triage failed: ${(error as Error).message}`, budgetLeft: left });
    return;
  }
  tick.usage = addUsage(tick.usage, result.usage);
  session.ledger.spend('observe', 1, result.usage.costUsd, Date.now());
  if ('problem' in result) {
    tick.decisions.push({ ...base, outcome: 'failed', detail: result.problem, budgetLeft: session.ledger.left('observe', Date.now()) });
    return;
  }
  const { decision } = result;
  session.print(`[triage] ${session.redact(plainText(decision.summary.split('\n')[0]!))}`);
  tick.decisions.push({ ...base, outcome: 'done', detail: decision.summary.slice(0, 1000), budgetLeft: session.ledger.left('observe', Date.now()) });
  for (const action of decision.actions) {
    const withPlan = decision.plan && (action.kind === 'fix' || action.kind === 'propose');
    tick.decisions.push(await carryOut(session, { ...action, ...(withPlan ? { plan: decision.plan } : {}) }));
  }
}
