import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInPullRequest {
  number: number;
  title: string;
  login: string;
  sha: string;
  ref: string;
  checks: { name: string; conclusion: 'success' | 'failure' }[];
  comments: { id: number; login: string; body: string; path?: string }[];
}

export interface GitHubStandIn {
  url: string;
  /** Requests made, with whether the bearer token came along. */
  requests: { method: string; path: string; authorized: boolean }[];
  pulls: StandInPullRequest[];
  close(): Promise<void>;
}

/**
 * The few GitHub REST endpoints the watcher reads, answered from `pulls` (which a test changes
 * between ticks): open pull requests, a commit's check runs, a pull request's review comments.
 */
export async function startGitHubStandIn(repo: string, token: string, pulls: StandInPullRequest[]): Promise<GitHubStandIn> {
  const requests: GitHubStandIn['requests'] = [];
  const state = { pulls };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const authorized = req.headers.authorization === `Bearer ${token}`;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, authorized });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!authorized) return send(401, { message: 'Bad credentials' });
    const base = `/repos/${repo}`;
    if (url.pathname === `${base}/pulls`) {
      return send(
        200,
        state.pulls.map((pr) => ({ number: pr.number, title: pr.title, html_url: `https://github.example/${repo}/pull/${pr.number}`, user: { login: pr.login }, head: { sha: pr.sha, ref: pr.ref } })),
      );
    }
    const checks = new RegExp(`^${base}/commits/([0-9a-f]+)/check-runs$`).exec(url.pathname);
    if (checks) {
      const pr = state.pulls.find((p) => p.sha === checks[1]);
      return send(200, { total_count: pr?.checks.length ?? 0, check_runs: (pr?.checks ?? []).map((c, i) => ({ id: i + 1, name: c.name, status: 'completed', conclusion: c.conclusion, html_url: null })) });
    }
    const comments = new RegExp(`^${base}/pulls/(\\d+)/comments$`).exec(url.pathname);
    if (comments) {
      const pr = state.pulls.find((p) => p.number === Number(comments[1]));
      return send(200, (pr?.comments ?? []).map((c) => ({ id: c.id, body: c.body, path: c.path, user: { login: c.login } })));
    }
    send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get pulls() {
      return state.pulls;
    },
    set pulls(value) {
      state.pulls = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
