import { appendFile } from 'node:fs/promises';
import { createRedactor, redactDeep } from '@coordinate/logging';
import type { RunPaths } from '../run/layout.js';
import { writeAtomic } from '../run/write-atomic.js';
import { readJournal } from '../journal/read.js';
import { renderReportHtml } from './html/page.js';
import { renderJUnit } from './junit.js';
import { renderReportMarkdown } from './markdown.js';
import { RunReport } from './schema.js';

export interface WriteReportsOptions {
  /** `--junit FILE` */
  junitFile?: string;
  /** `--report-json FILE`: a copy of report.json where the pipeline wants it. */
  jsonFile?: string;
  /** The file named by $GITHUB_STEP_SUMMARY; the Markdown report is appended to it. */
  githubStepSummary?: string;
}


/**
 * report.md and report.json in the run folder, plus the extra outputs asked for, with every
 * secret the detector finds redacted; returns the files written. With `reportHtml` and `journal`
 * among the paths, report.html too (its graph and timeline come from the journal).
 */
export async function writeReports(
  report: RunReport,
  paths: Pick<RunPaths, 'reportMd' | 'reportJson'> & Partial<Pick<RunPaths, 'reportHtml' | 'journal'>>,
  options: WriteReportsOptions = {},
): Promise<string[]> {
  const checked = redactDeep(RunReport.parse(report), createRedactor([]));
  const markdown = renderReportMarkdown(checked);
  const json = `${JSON.stringify(checked, null, 2)}\n`;
  const written: [string, string][] = [
    [paths.reportMd, markdown],
    [paths.reportJson, json],
  ];
  if (paths.reportHtml && paths.journal) written.push([paths.reportHtml, renderReportHtml(checked, (await readJournal(paths.journal)).events)]);
  if (options.jsonFile) written.push([options.jsonFile, json]);
  if (options.junitFile) written.push([options.junitFile, renderJUnit(checked)]);
  for (const [file, content] of written) await writeAtomic(file, content);
  if (options.githubStepSummary) {
    await appendFile(options.githubStepSummary, `${markdown}\n`);
    written.push([options.githubStepSummary, markdown]);
  }
  return written.map(([file]) => file);
}
