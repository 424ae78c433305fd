import { TaskSpec } from '@coordinate/protocol';
import type { ExecuteRunOptions } from 'coordinate';

export const TOKEN = 'test-token-remote-0123456789abcdef';

export const task = (spec: Partial<TaskSpec> & Pick<TaskSpec, 'id' | 'role'>): TaskSpec =>
  TaskSpec.parse({ title: `Task ${spec.id}`, instructions: `Do ${spec.id}.`, dependsOn: [], ...spec });

/** The fix the plan lands: an implementation writes it, the verification after it must find it. */
export const FIX = { path: 'src/fixed.txt', content: 'fixed far away\n' };

/** Research (which must read the repository's README, `readme`) → implement → verify, on workers that never see the repository's folder. */
export const fixPlan = (readme: string): Pick<ExecuteRunOptions, 'tasks' | 'executorSettings'> => ({
  tasks: [
    task({ id: 'survey', role: 'research' }),
    task({ id: 'fix', role: 'implement', dependsOn: ['survey'] }),
    task({ id: 'check', role: 'verify', dependsOn: ['fix'] }),
  ],
  executorSettings: (spec) => ({
    deterministic:
      spec.id === 'survey'
        ? { expectFiles: [{ path: 'README.md', content: readme }] }
        : spec.id === 'fix'
          ? { files: [FIX] }
          : { expectFiles: [FIX] },
  }),
});
