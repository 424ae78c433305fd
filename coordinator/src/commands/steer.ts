import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, formatZodError, Role, TaskSpec } from '@coordinate/protocol';
import { LineReader } from '../approval/line-reader.js';
import { isInteractive, type CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { safeText } from '../display/sanitize.js';
import { writeAtomic } from '../run/write-atomic.js';
import { receiptFile, requestFile, SteerReceipt, type SteerRequest } from '../steer/request.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { listRuns, readRun, statusOf, type StoredRun } from './run-store.js';

/** How long the command waits for the live run's answer: it looks for requests every 200 ms. */
const RECEIPT_TIMEOUT_MS = 15_000;

const SteerFlags = defineFlags({
  task: flag('--task <ids>', 'comma-separated tasks the note is for (default: every running task)'),
  addTask: flag('--add-task', 'add a task to the run instead of sending a note (asks to confirm unless --yes)'),
  id: flag('--id <id>', "the new task's id (default: steer-<random>)"),
  title: flag('--title <title>', "the new task's title (default: the first line of the message)"),
  role: flag('--role <role>', "the new task's role: research, implement or verify (default: implement)", { schema: Role.optional() }),
  dependsOn: flag('--depends-on <ids>', 'comma-separated tasks the new task waits for'),
  yes: flag('-y, --yes', 'add the task without asking'),
  cwd: cwdFlag,
});
type SteerFlags = z.infer<typeof SteerFlags.schema>;

const list = (text: string | undefined) => (text ?? '').split(',').map((part) => part.trim()).filter((part) => part.length > 0);

/** The run a steer goes to: the one named, or the only one running now. */
async function liveRun(repoRoot: string, runId: string | undefined): Promise<StoredRun> {
  if (runId !== undefined) {
    const run = await readRun(repoRoot, runId);
    if (!run.lock) throw new UsageError(`run ${run.runId} is not running (${statusOf(run)}): only a live run can be steered`, '`coordinate runs` lists the runs and their state');
    return run;
  }
  const running = (await listRuns(repoRoot)).filter((run) => run.status === 'running');
  if (running.length !== 1) {
    throw new UsageError(running.length === 0 ? 'no run is running in this repository' : `${running.length} runs are running`, 'name the run: coordinate steer <runId> "message"');
  }
  return readRun(repoRoot, running[0]!.runId);
}

/** The task `--add-task` asks for, checked by the same schema as a plan's tasks. */
function taskToAdd(message: string, flags: SteerFlags): TaskSpec {
  const parsed = TaskSpec.safeParse({
    id: flags.id ?? `steer-${randomBytes(3).toString('hex')}`,
    title: flags.title ?? message.split('\n')[0]!.slice(0, 120),
    role: flags.role ?? 'implement',
    instructions: message,
    dependsOn: list(flags.dependsOn),
  });
  if (!parsed.success) throw new UsageError(`the task to add is not valid: ${formatZodError(parsed.error)}`, 'check --id, --title, --role and --depends-on');
  return parsed.data;
}

async function confirmed(context: CliContext, question: string): Promise<boolean> {
  context.stdout.write(`${question} [y/N] `);
  const reader = new LineReader(context.stdin);
  const answer = await reader.next().finally(() => reader.close());
  return /^y(es)?$/i.test(answer?.trim() ?? '');
}

/** Waits for the live run's receipt of request `id`; undefined when it did not answer in time. */
async function receiptOf(run: StoredRun, id: string): Promise<SteerReceipt | undefined> {
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const text = await readFile(receiptFile(run.paths, id), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      await rm(receiptFile(run.paths, id), { force: true });
      return SteerReceipt.parse(JSON.parse(text));
    }
    await sleep(100);
  }
  return undefined;
}

export function registerSteerCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  SteerFlags.declare(
    program
      .command('steer')
      .description("send a note into a live run's running tasks (at their next model turn), or add a task to its graph")
      // [runId] <message>: commander gives a lone argument to the first, so both come as one list.
      .argument('<runId-and-message...>', '[runId] (default: the run running in this repository), then the note; with --add-task, the new task\'s instructions'),
  ).action(async (args: string[], raw: unknown) => {
    const flags = SteerFlags.read(raw);
    if (args.length > 2) throw new UsageError(`steer takes a run id and one message, got ${args.length} arguments`, 'quote the message: coordinate steer [runId] "message"');
    const [runId, message] = args.length === 1 ? [undefined, args[0]] : [args[0], args[1]];
    if (!message?.trim()) throw new UsageError('the message is empty', 'coordinate steer [runId] "message"');
    const run = await liveRun(await resolveRepoRoot(flags.cwd, context.cwd), runId);
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    let request: SteerRequest;
    if (flags.addTask) {
      const task = taskToAdd(message, flags);
      context.stdout.write(`Task ${task.id} [${task.role}] ${safeText(task.title)}${task.dependsOn.length ? `, after ${task.dependsOn.join(', ')}` : ''}\n`);
      if (!flags.yes) {
        if (!isInteractive(context)) throw new UsageError('nobody is at a terminal to confirm the new task', 'pass --yes to add it without asking');
        if (!(await confirmed(context, `Add it to run ${run.runId}?`))) {
          context.stdout.write('Nothing was added.\n');
          return done(ExitCode.ok);
        }
      }
      request = { id, kind: 'add-task', task };
    } else {
      request = { id, kind: 'note', note: message, taskIds: list(flags.task) };
    }
    await writeAtomic(requestFile(run.paths, id), `${JSON.stringify(request)}\n`);
    const receipt = await receiptOf(run, id);
    if (!receipt) {
      await rm(requestFile(run.paths, id), { force: true });
      throw new UsageError(`run ${run.runId} did not take the request within ${RECEIPT_TIMEOUT_MS / 1000} s`, '`coordinate show` tells whether it is still running');
    }
    context.stdout.write(`${receipt.status === 'delivered' ? 'Delivered' : 'Refused'}: ${safeText(receipt.detail)}\n`);
    done(receipt.status === 'delivered' ? ExitCode.ok : ExitCode.usage);
  });
}
