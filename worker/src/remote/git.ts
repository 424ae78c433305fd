import { execa } from 'execa';
import { WorkspaceError } from '../errors.js';

/** Who a worker's own commits are by: they carry a change to the coordinator, which keeps only its tree. */
const IDENTITY = { GIT_AUTHOR_NAME: 'coordinate worker', GIT_AUTHOR_EMAIL: 'worker@coordinate.invalid', GIT_COMMITTER_NAME: 'coordinate worker', GIT_COMMITTER_EMAIL: 'worker@coordinate.invalid' };

/** What git may see of the worker's environment: enough to find itself and the operator's credentials for `--repo`, nothing that redirects it. */
function gitEnv(): Record<string, string> {
  const env: Record<string, string> = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...IDENTITY };
  for (const name of ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Runs git without a shell; a failure becomes a `workspace_failed` error naming the command and git's own words. */
export async function git(args: readonly string[], cwd: string, okExitCodes: readonly number[] = [0]): Promise<{ stdout: string; exitCode: number }> {
  const result = await execa('git', args, { cwd, extendEnv: false, env: gitEnv(), reject: false, stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 });
  const exitCode = result.exitCode ?? -1;
  if (!okExitCodes.includes(exitCode)) {
    const said = String(result.stderr || result.shortMessage || '').trim().slice(0, 1000);
    throw new WorkspaceError(`git ${args[0] ?? ''} failed (exit ${exitCode}): ${said}`);
  }
  return { stdout: String(result.stdout), exitCode };
}
