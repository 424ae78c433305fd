import { durationOf } from './markdown.js';
import type { RunReport, TaskReport } from './schema.js';
import { verificationText } from './verification-lines.js';
import { attributes, escapeXml } from './xml.js';

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(task: TaskReport): string {
  const open = `    <testcase${attributes({ classname: `coordinate.${task.role}`, name: `${task.id}: ${task.title}`, time: seconds(task.durationMs) })}>`;
  const body: string[] = [];
  if (task.outcome === 'failed') {
    const message = task.failureReason ?? task.summary.split('\n')[0] ?? 'failed';
    body.push(`      <failure${attributes({ message, type: task.role === 'verify' ? 'verification_failed' : 'task_failed' })}>${escapeXml(verificationText(task))}</failure>`);
  } else if (task.outcome !== 'succeeded' && task.outcome !== 'taken_over') {
    body.push(`      <skipped${attributes({ message: task.failureReason ?? (task.outcome === 'not_run' ? 'not run' : task.outcome) })}/>`);
  }
  if (task.summary.trim() !== '') body.push(`      <system-out>${escapeXml(task.summary)}</system-out>`);
  return body.length === 0 ? `${open.slice(0, -1)}/>` : [open, ...body, '    </testcase>'].join('\n');
}

/** JUnit XML with one testcase per task; a failed task is a <failure> whose body is what really ran, then what was claimed. */
export function renderJUnit(report: RunReport): string {
  const failures = report.tasks.filter((t) => t.outcome === 'failed').length;
  const skipped = report.tasks.filter((t) => t.outcome === 'skipped' || t.outcome === 'interrupted' || t.outcome === 'not_run').length;
  const counts = { tests: report.tasks.length, failures, errors: 0, time: seconds(durationOf(report)) };
  // Jenkins' junit-10.xsd allows `skipped` on <testsuite> but not on <testsuites>.
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'coordinate', ...counts })}>`,
    `  <testsuite${attributes({ name: `coordinate run ${report.runId}`, ...counts, skipped, timestamp: report.startedAt })}>`,
    ...report.tasks.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
