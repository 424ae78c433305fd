import { sanitizeDeep } from '../display/sanitize.js';
import type { RunReport } from './schema.js';
import { verificationText } from './verification-lines.js';

/** GitHub's escaping for a workflow command's message (https://github.com/actions/toolkit, command.ts). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** …and for a property value, where ":" and "," also end the value. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error` line per failed verification, for the Actions log and the pull request. */
export function githubAnnotations(report: RunReport): string[] {
  return sanitizeDeep(report).tasks
    .filter((task) => task.role === 'verify' && task.outcome === 'failed')
    .map((task) => {
      const message = verificationText(task) || task.summary;
      return `::error title=${escapeProperty(`Verification failed: ${task.id}: ${task.title}`)}::${escapeData(message || 'verification failed')}`;
    });
}
