export {
  RunReport,
  TaskReport,
  TaskOutcome,
  ConflictOutcome,
  MergeConflictReport,
  LeaseReport,
  CheckFailureReport,
  StackEntry,
  ReportEvidence,
  ReportCommandRun,
  ReportVerification,
  DiffstatFile,
  REPORT_SCHEMA_VERSION,
  runReportJsonSchema,
} from './schema.js';
export { renderReportMarkdown } from './markdown.js';
export { renderReportTerminal } from './terminal.js';
export { renderJUnit } from './junit.js';
export { escapeXml } from './xml.js';
export { githubAnnotations } from './github.js';
export { writeReports, type WriteReportsOptions } from './write.js';
export { count, formatDuration, formatTokens, formatUsd, totalTokens } from './format.js';
export { describeConflictOutcome } from './conflict-line.js';
export { createStyle, colorEnabled, type Style } from './style.js';
export { notSeenLines } from './not-seen.js';
