import type { Role } from '@coordinate/protocol';
import type { JournalEvent } from '../../journal/events.js';
import { count, formatDuration, formatTokens, formatUsd, totalTokens } from '../format.js';
import { durationOf, runHeadline } from '../markdown.js';
import type { RunReport, TaskReport } from '../schema.js';
import { escapeHtml } from './escape.js';
import { graphSvg } from './graph-svg.js';
import { runTimeline } from './run-timeline.js';
import { outcomeWords } from '../task-outcome.js';
import { timelineSvg } from './timeline-svg.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#1f2328;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dee4;padding-bottom:4px}
.outcome{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.outcome.succeeded{background:#1a7f37}.outcome.failed{background:#cf222e}.outcome.budget_exhausted,.outcome.interrupted{background:#9a6700}
.facts{color:#57606a}.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2}td.n,th.n{text-align:right}
pre{background:#f6f8fa;padding:8px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;max-height:320px}
svg text{font:12px system-ui,sans-serif;fill:#1f2328}
.node rect{fill:#fff;stroke:#8c959f;stroke-width:1.5}.node.critical rect{stroke:#bc4c00;stroke-width:3}
.node.research rect{fill:#ddf4ff}.node.implement rect{fill:#dafbe1}.node.verify rect{fill:#fbefff}
.node.failed rect{stroke:#cf222e}.node.taken_over rect{stroke:#9a6700}.node.not_run rect,.node.skipped rect{stroke-dasharray:4 3}
.node .id{font-weight:600}.node .role{fill:#57606a;font-weight:400}.wave{fill:#57606a}
.edge{fill:none;stroke:#8c959f;stroke-width:1.5}.edge.critical{stroke:#bc4c00;stroke-width:3}marker path{fill:#8c959f}
.bar rect{fill:#54aeff}.bar.implement rect{fill:#4ac26b}.bar.verify rect{fill:#c297ff}
.bar.failed rect,.bar.retried rect{fill:#ff8182}.bar.unfinished rect{fill:#d0d7de}
.lane{stroke:#eaeef2}.axis{fill:#57606a}.axis.end{text-anchor:end}
.ok{color:#1a7f37}.bad{color:#cf222e}.legend span{margin-right:14px}`;

const cell = (text: string | number, numeric = false) => `<td${numeric ? ' class="n"' : ''}>${escapeHtml(String(text))}</td>`;

function costRows(report: RunReport): string {
  const rows = report.tasks.map(
    (t) => `<tr>${cell(t.id)}${cell(t.role)}${cell(outcomeWords(t))}${cell(t.attempts, true)}${cell(formatTokens(totalTokens(t.usage)), true)}${cell(formatUsd(t.usage.costUsd), true)}${cell(t.durationMs === undefined ? '' : formatDuration(t.durationMs), true)}</tr>`,
  );
  return `<table><tr><th>task</th><th>role</th><th>outcome</th><th class="n">attempts</th><th class="n">tokens</th><th class="n">cost</th><th class="n">time</th></tr>${rows.join('')}</table>`;
}

function roleRows(report: RunReport): string {
  const byRole = new Map<Role | 'planner and other requests', { tokens: number; cost: number }>();
  for (const task of report.tasks) {
    const sum = byRole.get(task.role) ?? { tokens: 0, cost: 0 };
    byRole.set(task.role, { tokens: sum.tokens + totalTokens(task.usage), cost: sum.cost + task.usage.costUsd });
  }
  const tasksTokens = [...byRole.values()].reduce((s, r) => s + r.tokens, 0);
  const tasksCost = [...byRole.values()].reduce((s, r) => s + r.cost, 0);
  const rest = { tokens: totalTokens(report.usage) - tasksTokens, cost: report.usage.costUsd - tasksCost };
  if (rest.tokens > 0 || rest.cost > 1e-9) byRole.set('planner and other requests', rest);
  const rows = [...byRole].map(([role, s]) => `<tr>${cell(role)}${cell(formatTokens(s.tokens), true)}${cell(formatUsd(s.cost), true)}</tr>`);
  rows.push(`<tr><th>total</th>${cell(formatTokens(totalTokens(report.usage)), true)}${cell(formatUsd(report.usage.costUsd), true)}</tr>`);
  return `<table><tr><th>role</th><th class="n">tokens</th><th class="n">cost</th></tr>${rows.join('')}</table>`;
}

function verification(task: TaskReport): string {
  const commands = task.evidence.map((e) => {
    const status = e.exitCode === 0 ? `<span class="ok">exit 0</span>` : `<span class="bad">exit ${e.exitCode}</span>`;
    const seen = e.verified ? 'seen by the coordinator' : '<span class="bad">not seen by the coordinator: the model’s claim only</span>';
    return `<h4><code>$ ${escapeHtml(e.command)}</code> ${status}, ${seen}</h4><pre>${escapeHtml(e.excerpt)}</pre>`;
  });
  return `<h3>${escapeHtml(task.id)}: ${escapeHtml(task.title)} (${escapeHtml(outcomeWords(task))})</h3><p>${escapeHtml(task.summary)}</p>${commands.join('') || '<p>No command output was recorded.</p>'}`;
}

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the
 * task graph in waves and its critical path, the workers' timeline, cost and tokens per task and
 * per role, and each verification with the output of the commands it ran. `events` is the run's journal.
 */
export function renderReportHtml(report: RunReport, events: readonly JournalEvent[]): string {
  const timeline = runTimeline(events);
  const outcomes = new Map(report.tasks.map((t) => [t.id, t.outcome]));
  const graphTasks = timeline.tasks.length > 0 ? timeline.tasks : report.tasks.map((t) => ({ ...t, instructions: '', dependsOn: [] }));
  const verifications = report.tasks.filter((t) => t.role === 'verify');
  const conflicts = report.mergeConflicts.map((c) => `<li>${escapeHtml(c.taskId)}: ${escapeHtml(c.files.join(', '))}${c.message ? ` (${escapeHtml(c.message)})` : ''}</li>`);
  const facts = [
    `${formatTokens(totalTokens(report.usage))} tokens`,
    formatUsd(report.usage.costUsd),
    formatDuration(durationOf(report)),
    ...(report.branch ? [`branch ${report.branch}`] : []),
    `${count(report.diffstat.files.length, 'file')} changed, +${report.diffstat.insertions} −${report.diffstat.deletions}`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Run ${escapeHtml(report.runId)}: ${escapeHtml(runHeadline(report))}</title><style>${STYLE}</style></head><body>
<h1>Run ${escapeHtml(report.runId)} <span class="outcome ${report.outcome}">${escapeHtml(runHeadline(report))}</span></h1>
<p><strong>Goal:</strong> ${escapeHtml(report.goal)}</p>
<p class="facts">${facts.map(escapeHtml).join(' · ')}</p>
<p>${escapeHtml(report.synthesis)}</p>
<h2>Task graph</h2><p class="legend facts"><span>columns are waves of tasks that can run at once</span><span style="color:#bc4c00">heavy orange: the critical path</span></p>
<div class="scroll">${graphSvg(graphTasks, outcomes)}</div>
<h2>Workers</h2><p class="legend facts"><span>blue research</span><span>green implementation</span><span>purple verification</span><span>red a failed or retried attempt</span></p>
<div class="scroll">${timelineSvg(timeline)}</div>
${conflicts.length > 0 ? `<h2>Merge conflicts</h2><ul>${conflicts.join('')}</ul>` : ''}
<h2>Cost and tokens</h2>${roleRows(report)}<h3>Per task</h3>${costRows(report)}
<h2>Verification</h2>${verifications.map(verification).join('') || '<p>The plan had no verification task.</p>'}
</body></html>
`;
}
