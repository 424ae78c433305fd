import { emptyUsage } from '@coordinate/protocol';
import type { RunReport } from './schema.js';

const usage = (tokens: number, costUsd: number) => ({ ...emptyUsage(), inputTokens: tokens, outputTokens: tokens / 10, requests: 3, costUsd });

/** A finished run with one of everything: success, a failed verification with hostile output, a skipped task. */
export function sampleReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    runId: 'r-abc123',
    goal: 'Add rate limiting to the login route',
    synthesis: 'Added a sliding-window limiter; the login tests fail on one edge case.',
    outcome: 'failed',
    exitCode: 1,
    startedAt: '2025-01-02T10:00:00.000Z',
    finishedAt: '2025-01-02T10:04:05.000Z',
    branch: 'coordinate/r-abc123',
    baseCommit: '0123456789abcdef0123456789abcdef01234567',
    tasks: [
      {
        id: 'limit',
        title: 'Add the "limiter" & <wire> it',
        role: 'implement',
        outcome: 'succeeded',
        attempts: 2,
        summary: 'Added src/limit.ts.',
        evidence: [],
        changedFiles: ['src/limit.ts', 'src/routes/login.ts'],
        usage: usage(12_000, 0.12),
        durationMs: 61_000,
      },
      {
        id: 'check',
        title: 'Run the login tests',
        role: 'verify',
        outcome: 'failed',
        attempts: 1,
        summary: 'One test fails.',
        evidence: [
          {
            command: 'npm test -- login',
            exitCode: 1,
            excerpt: '\x1b[31mFAIL\x1b[39m login.test.ts > locks out after 5 tries\n  expected 429 < got 200 & "ok" ]]> \x00\x07 ```js\nboom\n```',
            verified: true,
          },
          { command: 'npm run lint', exitCode: 0, excerpt: 'clean', verified: false, reason: '`npm run lint` is cited but never ran in this task' },
        ],
        verification: {
          verified: false,
          weak: false,
          reason: '`npm test -- login` last exited 1',
          ran: [
            {
              command: 'npm test -- login',
              exitCode: 1,
              excerpt: 'exit code 1\n\x1b[31mFAIL\x1b[39m login.test.ts > locks out after 5 tries\n  expected 429 < got 200 & "ok" ]]> \x00\x07',
              passed: false,
              reason: '`npm test -- login` last exited 1',
            },
          ],
        },
        changedFiles: [],
        usage: usage(4_000, 0.03),
        durationMs: 20_000,
        failureReason: 'npm test -- login exited 1: 50%, of: tries\nsecond line',
      },
      {
        id: 'docs',
        title: 'Document the limit',
        role: 'implement',
        outcome: 'skipped',
        attempts: 0,
        summary: '',
        evidence: [],
        changedFiles: [],
        usage: emptyUsage(),
        failureReason: 'a dependency failed',
      },
    ],
    steering: [],
    mergeConflicts: [],
    diffstat: { files: [{ path: 'src/limit.ts', insertions: 40, deletions: 0 }, { path: 'src/routes/login.ts', insertions: 3, deletions: 1 }], insertions: 43, deletions: 1 },
    usage: usage(16_000, 0.15),
    sandboxed: true,
    apply: { applied: false, commands: ['git merge coordinate/r-abc123', 'coordinate show r-abc123 --apply'] },
    ...overrides,
  };
}
