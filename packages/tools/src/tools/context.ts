import type { ReadLedger } from '../read-ledger.js';
import type { Sandbox } from '../sandbox.js';

/** What the file tools share for one task. */
export interface FileToolContext {
  sandbox: Sandbox;
  /** What the task has read of each file, so it never overwrites what it has not seen. */
  ledger: ReadLedger;
  /** A cap on the text one tool result may hand to the model. */
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Asked before a file is written; see `ToolsetOptions.lease`. */
  lease?: FileLease;
}

/**
 * Asked before a task writes a file (`path` relative to the task root, as results show it):
 * resolves with a refusal the model reads (another running task holds the file), or undefined
 * when the task may write it.
 */
export type FileLease = (path: string) => Promise<string | undefined>;
