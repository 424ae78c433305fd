import type { Sandbox } from '../sandbox.js';

/** What the file tools share for one task. */
export interface FileToolContext {
  sandbox: Sandbox;
  /** A cap on the text one tool result may hand to the model. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}
