import { join } from 'node:path';
import { z } from 'zod';
import { MAX_STEER_NOTE, TaskId, TaskSpec } from '@coordinate/protocol';
import type { RunPaths } from '../run/layout.js';

/**
 * What `coordinate steer` asks of a live run, as a file in the run's `steer/` folder. The folder is
 * inside `.coordinate/`, which no task can write (the sandbox and the path checks keep workers out of
 * it), so only the person's own command puts requests there; the run still validates each one.
 */
export const SteerRequest = z.discriminatedUnion('kind', [
  z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    kind: z.literal('note'),
    note: z.string().trim().min(1).max(MAX_STEER_NOTE),
    /** The tasks to tell; every running task when empty. */
    taskIds: z.array(TaskId).max(100).default([]),
  }),
  z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    kind: z.literal('add-task'),
    task: TaskSpec,
  }),
]);
export type SteerRequest = z.infer<typeof SteerRequest>;

/** The run's answer to one request, written beside it once it was handled. */
export const SteerReceipt = z.strictObject({
  id: z.string(),
  status: z.enum(['delivered', 'refused']),
  /** One line for the person: which tasks the note reached, or why it was refused. */
  detail: z.string().max(4000),
});
export type SteerReceipt = z.infer<typeof SteerReceipt>;

export const steerDir = (paths: Pick<RunPaths, 'dir'>) => join(paths.dir, 'steer');
export const requestFile = (paths: Pick<RunPaths, 'dir'>, id: string) => join(steerDir(paths), `${id}.request.json`);
export const receiptFile = (paths: Pick<RunPaths, 'dir'>, id: string) => join(steerDir(paths), `${id}.receipt.json`);
