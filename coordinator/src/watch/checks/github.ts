import { formatZodError } from '@coordinate/protocol';
import { z } from 'zod';
import { git } from '../../git/index.js';
import { WatchError } from '../errors.js';

const PullRequest = z.object({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string().optional(),
  user: z.object({ login: z.string() }).nullable(),
  head: z.object({ sha: z.string(), ref: z.string() }),
});
const CheckRuns = z.object({
  check_runs: z.array(z.object({ id: z.number(), name: z.string(), status: z.string(), conclusion: z.string().nullable(), html_url: z.string().nullable().optional() })),
});
const ReviewComment = z.object({
  id: z.number().int(),
  body: z.string(),
  path: z.string().optional(),
  html_url: z.string().optional(),
  user: z.object({ login: z.string() }).nullable(),
});

export type PullRequest = z.infer<typeof PullRequest>;
export type ReviewComment = z.infer<typeof ReviewComment>;

export interface FailingCheck {
  pr: PullRequest;
  name: string;
  conclusion: string;
  sha: string;
}

export interface PullRequestState {
  failing: FailingCheck[];
  comments: { pr: PullRequest; comment: ReviewComment }[];
}

/** Conclusions GitHub gives a check run that did not pass. */
const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure']);
const REQUEST_TIMEOUT_MS = 10_000;

export interface GitHubOptions {
  /** `$GITHUB_API_URL`, default https://api.github.com. */
  apiUrl: string;
  token: string;
  /** "owner/name". */
  repo: string;
  /** Logins whose pull requests count; empty means all. */
  authors: readonly string[];
}

/**
 * Reads the repository's open pull requests, their check runs and their review comments through
 * the GitHub REST API. Every answer is checked against its schema; a refusal or a malformed answer
 * is WatchError('github_api_failed') naming the endpoint and status (the token never appears).
 */
export async function readPullRequests(options: GitHubOptions): Promise<PullRequestState> {
  const get = <T>(path: string, schema: z.ZodType<T>) => getJson(options, path, schema);
  const open = await get(`/repos/${options.repo}/pulls?state=open&per_page=50`, z.array(PullRequest));
  const watched = open.filter((pr) => options.authors.length === 0 || (pr.user !== null && options.authors.includes(pr.user.login)));
  const state: PullRequestState = { failing: [], comments: [] };
  for (const pr of watched) {
    const { check_runs } = await get(`/repos/${options.repo}/commits/${pr.head.sha}/check-runs?per_page=100`, CheckRuns);
    for (const run of check_runs) {
      if (run.status === 'completed' && run.conclusion !== null && FAILED.has(run.conclusion)) {
        state.failing.push({ pr, name: run.name, conclusion: run.conclusion, sha: pr.head.sha });
      }
    }
    for (const comment of await get(`/repos/${options.repo}/pulls/${pr.number}/comments?per_page=100`, z.array(ReviewComment))) {
      state.comments.push({ pr, comment });
    }
  }
  return state;
}

async function getJson<T>(options: GitHubOptions, path: string, schema: z.ZodType<T>): Promise<T> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}${path}`;
  const endpoint = path.split('?')[0]!;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${options.token}`, 'x-github-api-version': '2022-11-28' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new WatchError('github_api_failed', `GitHub API ${endpoint} could not be reached: ${(error as Error).message}`, { endpoint });
  }
  const text = await response.text();
  if (!response.ok) throw new WatchError('github_api_failed', `GitHub API ${endpoint} answered ${response.status}`, { endpoint, status: response.status });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WatchError('github_api_failed', `GitHub API ${endpoint} answered with something that is not JSON`, { endpoint });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new WatchError('github_api_failed', `GitHub API ${endpoint} answered in an unexpected shape (${formatZodError(parsed.error)})`, { endpoint });
}

/** "owner/name" of the `origin` remote when it is on GitHub (https or ssh form); undefined otherwise. */
export async function githubRepoOf(repo: string): Promise<string | undefined> {
  const { stdout, exitCode } = await git(['remote', 'get-url', 'origin'], { cwd: repo, okExitCodes: [0, 2, 128] });
  if (exitCode !== 0) return undefined;
  const match = /github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(stdout.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}
