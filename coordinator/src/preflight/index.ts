import type { TaskSpec } from '@coordinate/protocol';
import { inspectRepo, requireGitForImplementation } from '../git/index.js';
import { checkListenAddress } from './listen-address.js';
import { checkModelEndpoint } from './model-endpoint.js';

export { checkModelEndpoint } from './model-endpoint.js';

export interface SpendCheck {
  repoRoot: string;
  /** The plan's tasks when known: a research-only plan needs no git. Unknown (before planning) means git is needed. */
  tasks?: readonly Pick<TaskSpec, 'role'>[];
  env: NodeJS.ProcessEnv;
  host?: string;
  port?: number;
}

/**
 * Every check that costs nothing, run before the first model request: git is there and new enough,
 * the folder is a repository with a commit, the workers' address can be listened on, and the model
 * API has a key and answers a connection. The config and flags were read by the caller already.
 */
export async function checkBeforeSpending(check: SpendCheck): Promise<void> {
  if (!check.tasks?.every((task) => task.role === 'research')) requireGitForImplementation(await inspectRepo(check.repoRoot));
  await checkListenAddress(check.host, check.port);
  await checkModelEndpoint({ env: check.env });
}
