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
}
