import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runPaths, runPlan, type JournalEvent, type PreparedTask, type RunPlanResult } from 'coordinate';
import type { TaskSpec } from '@coordinate/protocol';
import { startScriptedServer, type FaultPlan, type Scenario, type ScriptedServer } from '@coordinate/testkit';
import { readJournalFile } from '../runtime/helpers.js';

export { removeTempDirs, tempDir } from '../runtime/helpers.js';

export const MODEL = 'claude-haiku-4-5';
export const API_KEY = 'test-api-key-for-agent-runs';

const servers: ScriptedServer[] = [];
/** A scripted Messages-API server, closed by `closeServers` in afterEach. */
export async function scriptedServer(scenario: Scenario, faults?: FaultPlan): Promise<ScriptedServer> {
  const server = await startScriptedServer({ scenario, ...(faults ? { faults } : {}) });
  servers.push(server);
  return server;
}
export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => server.close()));
}

export const spec = (id: string, role: TaskSpec['role'], dependsOn: string[] = []): TaskSpec => ({
  id,
  title: `Task ${id}`,
  role,
  instructions: `Carry out ${id}.`,
  dependsOn,
});

export interface AgentRunOptions {
  repoRoot: string;
  runId: string;
  tasks: TaskSpec[];
  server: ScriptedServer;
  workers?: number;
  maxAttempts?: number;
  token?: string;
  apiKey?: string;
  /** More environment for the workers (e.g. HOME). */
  workerEnv?: Record<string, string>;
  /** More of a task's preparation (root, budget) and of its model settings. */
  prepare?: (task: TaskSpec) => Omit<PreparedTask, 'settings'> & { model?: string; settings?: Record<string, unknown> };
}

export interface AgentRun {
  outcome: RunPlanResult;
  events: JournalEvent[];
  runDir: string;
}

/**
 * Runs tasks on spawned workers with the model executor against the scripted server: each task
 * writes its transcript to the run's transcripts folder, and retries wait only a few ms.
 */
export async function runAgents(options: AgentRunOptions): Promise<AgentRun> {
  const paths = runPaths(options.repoRoot, options.runId);
  const outcome = await runPlan({
    repoRoot: options.repoRoot,
    runId: options.runId,
    goal: `agents test ${options.runId}`,
    tasks: options.tasks,
    workers: options.workers ?? 2,
    executor: 'model',
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.token ? { token: options.token } : {}),
    workerEnv: { ANTHROPIC_BASE_URL: options.server.url, ANTHROPIC_API_KEY: options.apiKey ?? API_KEY, ...options.workerEnv },
    prepare: (task) => {
      const { settings, ...prepared } = options.prepare?.(task) ?? {};
      return {
        ...prepared,
        settings: {
          model: {
            model: MODEL,
            transcriptFile: join(paths.transcripts, `${task.id}.jsonl`),
            retry: { baseDelayMs: 5, maxDelayMs: 50 },
            ...settings,
          },
        },
      };
    },
  });
  return { outcome, events: await readJournalFile(paths.journal), runDir: paths.dir };
}

export const finished = (events: JournalEvent[], taskId: string) =>
  events.find((e): e is Extract<JournalEvent, { type: 'task.finished' }> => e.type === 'task.finished' && e.taskId === taskId);

export const progressOf = (events: JournalEvent[], taskId: string): string[] =>
  events.flatMap((e) => (e.type === 'task.progress' && e.taskId === taskId ? [e.summary] : []));

/** Every file below `dir`, with its content. */
export async function filesUnder(dir: string): Promise<{ file: string; content: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = join(entry.parentPath, entry.name);
        return { file, content: await readFile(file, 'utf8') };
      }),
  );
}

/** What the model was sent, all requests together, to check what it could see. */
export const sentToModel = (server: ScriptedServer): string => server.requests.map((r) => JSON.stringify(r.body)).join('\n');
