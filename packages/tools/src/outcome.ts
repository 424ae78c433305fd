/** What a tool call gives back: `content` goes to the model, `summary` and `diff` to progress events. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  diff?: string;
  summary: string;
  /** Set when policy, a directive or the sandbox refused the call (the journal records it as a denial). */
  denied?: boolean;
  /** Set by run_command when the command ran: its exit code (the content then starts with `exit code N`). */
  exitCode?: number;
}

export const success = (content: string, summary: string, diff?: string): ToolOutcome =>
  diff === undefined ? { content, isError: false, summary } : { content, isError: false, summary, diff };

export const failure = (content: string, summary = content): ToolOutcome => ({ content, isError: true, summary: summary.split('\n')[0]!.slice(0, 300) });
