import { TaskSpec } from '@coordinate/protocol';
import type { ExecuteRunOptions } from 'coordinate';

export const TOKEN = 'test-token-remote-0123456789abcdef';

export const task = (spec: Partial<TaskSpec> & Pick<TaskSpec, 'id' | 'role'>): TaskSpec =>
  TaskSpec.parse({ title: `Task ${spec.id}`, instructions: `Do ${spec.id}.`, dependsOn: [], ...spec });

/** The fix the plan lands: an implementation writes it, the verification after it must find it. */
export const FIX = { path: 'src/fixed.txt', content: 'fixed far away\n' };

/**
 * A plan as data, so it can be handed to a coordinator in another process: its tasks and, per task,
 * the deterministic executor's settings for attempt 1, 2, … (the last one for every later attempt).
 */
export interface RemotePlan {
  tasks: TaskSpec[];
  settings: Record<string, Record<string, unknown>[]>;
}

/** Research (which must read the repository's README, `readme`) → implement → verify, on workers that never see the repository's folder. */
export const fixPlan = (readme: string): RemotePlan => ({
  tasks: [
    task({ id: 'survey', role: 'research' }),
    task({ id: 'fix', role: 'implement', dependsOn: ['survey'] }),
    task({ id: 'check', role: 'verify', dependsOn: ['fix'] }),
  ],
  settings: {
    survey: [{ expectFiles: [{ path: 'README.md', content: readme }] }],
    fix: [{ files: [FIX] }],
    check: [{ expectFiles: [FIX] }],
  },
});

/** A plan's settings as executeRun takes them. */
export const executorSettingsOf =
  (plan: RemotePlan): NonNullable<ExecuteRunOptions['executorSettings']> =>
  (spec, attempt) => {
    const list = plan.settings[spec.id];
    return list ? { deterministic: list[Math.min(attempt, list.length) - 1] } : undefined;
  };
