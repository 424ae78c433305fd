import { criticalPath, waves } from '@coordinate/plan';
import type { TaskSpec } from '@coordinate/protocol';
import type { TaskOutcome } from '../schema.js';
import { escapeHtml } from './escape.js';

const NODE = { width: 190, height: 46, gapX: 70, gapY: 18, pad: 20 };

/**
 * The task graph as SVG: one column per wave (tasks that can run at once), edges from each
 * dependency, the critical path drawn heavier. Each node is a `<g class="node">` for tests and styles.
 */
export function graphSvg(tasks: readonly TaskSpec[], outcomes: ReadonlyMap<string, TaskOutcome>): string {
  if (tasks.length === 0) return '<p>No tasks.</p>';
  const columns = waves(tasks);
  const critical = criticalPath(tasks);
  const onPath = new Set(critical.slice(1).map((id, i) => `${critical[i]}>${id}`));
  const at = new Map<string, { x: number; y: number }>();
  columns.forEach((column, c) =>
    column.forEach((id, r) => at.set(id, { x: NODE.pad + c * (NODE.width + NODE.gapX), y: NODE.pad + 24 + r * (NODE.height + NODE.gapY) })),
  );
  const width = NODE.pad * 2 + columns.length * NODE.width + (columns.length - 1) * NODE.gapX;
  const height = NODE.pad * 2 + 24 + Math.max(...columns.map((c) => c.length)) * (NODE.height + NODE.gapY);
  const edges = tasks.flatMap((task) =>
    task.dependsOn.flatMap((dep) => {
      const from = at.get(dep);
      const to = at.get(task.id);
      if (!from || !to) return [];
      const [x1, y1, x2, y2] = [from.x + NODE.width, from.y + NODE.height / 2, to.x, to.y + NODE.height / 2];
      const mid = (x1 + x2) / 2;
      const cls = onPath.has(`${dep}>${task.id}`) ? 'edge critical' : 'edge';
      return [`<path class="${cls}" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`];
    }),
  );
  const labels = columns.map((_, c) => `<text class="wave" x="${NODE.pad + c * (NODE.width + NODE.gapX)}" y="${NODE.pad + 10}">Wave ${c + 1}</text>`);
  const nodes = tasks.map((task) => {
    const { x, y } = at.get(task.id)!;
    const classes = ['node', task.role, outcomes.get(task.id) ?? 'not_run', critical.includes(task.id) ? 'critical' : ''].filter(Boolean).join(' ');
    const title = task.title.length > 26 ? `${task.title.slice(0, 25)}…` : task.title;
    return (
      `<g class="${classes}" transform="translate(${x},${y})"><title>${escapeHtml(`${task.id}: ${task.title}`)}</title>` +
      `<rect width="${NODE.width}" height="${NODE.height}" rx="8"/>` +
      `<text x="10" y="19" class="id">${escapeHtml(task.id)} <tspan class="role">${task.role}</tspan></text>` +
      `<text x="10" y="36" class="title">${escapeHtml(title)}</text></g>`
    );
  });
  return (
    `<svg class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="task graph">` +
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>' +
    `${labels.join('')}${edges.join('')}${nodes.join('')}</svg>`
  );
}
