import { formatDuration } from '../format.js';
import { escapeHtml } from './escape.js';
import type { RunTimeline } from './run-timeline.js';

const ROW = { height: 30, label: 90, pad: 16, width: 900 };

/**
 * The workers' timeline as SVG: one row per worker, one `<rect class="bar">` per attempt of a
 * task, placed by time and colored by role, with failed and retried attempts marked.
 */
export function timelineSvg(timeline: RunTimeline): string {
  if (timeline.bars.length === 0) return '<p>No task ran.</p>';
  const scale = (ROW.width - ROW.label - ROW.pad * 2) / timeline.durationMs;
  const height = ROW.pad * 2 + timeline.workers.length * ROW.height + 20;
  const rows = timeline.workers.map((worker, i) => {
    const y = ROW.pad + i * ROW.height;
    return `<text class="worker" x="${ROW.pad}" y="${y + 19}">${escapeHtml(worker)}</text><line class="lane" x1="${ROW.label}" x2="${ROW.width - ROW.pad}" y1="${y + ROW.height - 2}" y2="${y + ROW.height - 2}"/>`;
  });
  const bars = timeline.bars.map((bar) => {
    const y = ROW.pad + timeline.workers.indexOf(bar.workerId) * ROW.height + 4;
    const x = ROW.label + bar.startMs * scale;
    const w = Math.max(3, (bar.endMs - bar.startMs) * scale);
    const label = `${bar.taskId}${bar.attempt > 1 ? ` (attempt ${bar.attempt})` : ''}: ${bar.outcome}, ${formatDuration(bar.endMs - bar.startMs)}`;
    return (
      `<g class="bar ${bar.role} ${bar.outcome}"><title>${escapeHtml(label)}</title>` +
      `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW.height - 10}" rx="4"/>` +
      (w > 60 ? `<text x="${(x + 6).toFixed(1)}" y="${y + 14}">${escapeHtml(bar.taskId)}</text>` : '') +
      '</g>'
    );
  });
  const axisY = height - 8;
  const axis = `<text class="axis" x="${ROW.label}" y="${axisY}">0s</text><text class="axis end" x="${ROW.width - ROW.pad}" y="${axisY}">${formatDuration(timeline.durationMs)}</text>`;
  return `<svg class="timeline" viewBox="0 0 ${ROW.width} ${height}" width="${ROW.width}" height="${height}" role="img" aria-label="worker timeline">${rows.join('')}${bars.join('')}${axis}</svg>`;
}
