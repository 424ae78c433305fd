/** The process exit codes, as the README documents them. */
export const ExitCode = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  planRejected: 3,
  budgetExhausted: 4,
  apiUnavailable: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
