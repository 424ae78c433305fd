import path from 'node:path';
import { CoordinateError, formatZodError, type Role, type TaskMemory, type TaskScratchpad, type ToolName, type ToolPolicy } from '@coordinate/protocol';
import { commandLauncher, SandboxUnavailableError, type CommandLauncher } from '@coordinate/sandbox';
import type { z } from 'zod';
import { isToolName, TOOL_CATALOG } from './catalog.js';
import { safeCommandEnv, withoutSecrets } from './command-env.js';
import { toolDefinitionsFor, type ToolDefinition } from './definitions.js';
import { SandboxError, ToolsetUsageError } from './errors.js';
import { failure, type ToolOutcome } from './outcome.js';
import { checkPermission, parseToolPolicy } from './policy.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from './run-command.js';
import { ReadLedger } from './read-ledger.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import { serialized } from './serialized.js';
import { runCommandTool } from './tools/command-tool.js';
import type { FileLease, FileToolContext } from './tools/context.js';
import { editFileTool } from './tools/edit-file.js';
import { listFilesTool } from './tools/list-files.js';
import { readFileTool } from './tools/read-file.js';
import { memoryProposeTool, memorySearchTool, scratchpadReadTool, scratchpadWriteTool } from './tools/record-tools.js';
import { searchFilesTool } from './tools/search-files.js';
import { writeFileTool } from './tools/write-file.js';
import type * as schema from './schemas.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
/** Tools that read or change one file named by `path`. */
const FILE_TOOLS: ReadonlySet<ToolName> = new Set(['read_file', 'write_file', 'edit_file']);
/** Diffs in progress events share the protocol's size limit. */
const MAX_EVENT_DIFF_CHARS = 20_000;

export interface ToolsetOptions {
  role: Role;
  /** The folder the task works in (its worktree for implementation); every path stays inside it. */
  root: string;
  policy?: ToolPolicy;
  scratchpad?: TaskScratchpad;
  memory?: TaskMemory;
  /** The whole environment of commands; default `safeCommandEnv(process.env)`. Credential-like names are always dropped. */
  env?: Record<string, string>;
  /** Aborting kills a running command. */
  signal?: AbortSignal;
  /** False is the person's explicit opt-out (--no-sandbox): commands run outside the OS sandbox. Default true. */
  sandbox?: boolean;
  /** The person's home folder, hidden from commands (default $HOME). */
  home?: string;
  /** Told of every refusal (permission, directive or sandbox), so it can be journaled. */
  onDenied?: (tool: string, reason: string) => void;
  maxOutputBytes?: number;
  commandTimeoutMs?: number;
  /** Asked before write_file or edit_file changes a file; a refusal becomes the tool's error result. Default: every write allowed. */
  lease?: FileLease;
}

export interface Toolset {
  readonly definitions: ToolDefinition[];
  /** Runs one tool call. Failures and refusals come back as error outcomes; it throws only for `complete_task`, which the agent loop owns. */
  execute(name: string, input: unknown): Promise<ToolOutcome>;
}

export function createToolset(options: ToolsetOptions): Toolset {
  const { role, onDenied } = options;
  const policy = parseToolPolicy(options.policy);
  const sandbox = createSandbox(options.root);
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const env = withoutSecrets(options.env ?? safeCommandEnv(process.env));
  const files: FileToolContext = {
    sandbox,
    ledger: new ReadLedger(),
    maxOutputBytes,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.lease ? { lease: options.lease } : {}),
  };
  const sandboxed = options.sandbox ?? true;
  let launcher: Promise<CommandLauncher> | undefined;
  // Made on the first command, so a role that runs none never needs a sandbox.
  const launcherOnce = () =>
    (launcher ??= commandLauncher({ root: sandbox.root, home: options.home ?? process.env.HOME, network: policy.network === true, env, sandbox: sandboxed }));

  const denied = (tool: string, reason: string): ToolOutcome => {
    onDenied?.(tool, reason);
    return { ...failure(`denied: ${reason}`, `${tool} denied: ${reason}`), denied: true };
  };

  // `input` has passed the tool's own schema by the time it gets here.
  const run = (tool: ToolName, input: unknown): Promise<ToolOutcome> => {
    switch (tool) {
      case 'read_file':
        return readFileTool(input as schema.ReadFileInput, files);
      case 'list_files':
        return listFilesTool(input as schema.ListFilesInput, files);
      case 'search_files':
        return searchFilesTool(input as schema.SearchFilesInput, files);
      case 'write_file':
        return writeFileTool(input as schema.WriteFileInput, files);
      case 'edit_file':
        return editFileTool(input as schema.EditFileInput, files);
      case 'run_command':
        return runCommandTool(input as schema.RunCommandInput, {
          launcher: launcherOnce,
          defaultTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
          maxOutputBytes,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      case 'scratchpad_read':
        return scratchpadReadTool(input as schema.ScratchpadReadInput, options.scratchpad, maxOutputBytes);
      case 'scratchpad_write':
        return scratchpadWriteTool(input as schema.ScratchpadWriteInput, options.scratchpad);
      case 'memory_search':
        return memorySearchTool(input as schema.MemorySearchInput, options.memory, maxOutputBytes);
      case 'memory_propose':
        return memoryProposeTool(input as schema.MemoryProposeInput, options.memory);
      case 'complete_task':
        throw new ToolsetUsageError('complete_task ends the task and is handled by the agent loop, not by the toolset');
    }
  };

  return {
    definitions: toolDefinitionsFor(role, policy, sandboxed),
    async execute(name, rawInput) {
      if (name === 'complete_task') return run(name, rawInput);
      if (!isToolName(name)) return failure(`there is no tool named "${name}"; the tools are: ${toolDefinitionsFor(role, policy).map((d) => d.name).join(', ')}`);
      const parsed = TOOL_CATALOG[name].schema.safeParse(rawInput);
      if (!parsed.success) return failure(describeInvalidInput(name, parsed.error));
      const input = parsed.data;

      const decision = checkPermission(role, name, input, policy);
      if (!decision.allowed) return denied(name, decision.reason);
      try {
        if (TOOL_CATALOG[name].tier === 'edit') {
          // Directives name files as they really are: check the path the edit would land on too.
          const real = sandbox.display(await sandbox.resolve(String(input.path), 'write'));
          const again = checkPermission(role, name, { ...input, path: real }, policy);
          if (!again.allowed) return denied(name, again.reason);
        }
        // The calls of one answer run at once; those on one file take turns, so each reads what the last one wrote.
        const outcome = FILE_TOOLS.has(name)
          ? await serialized(`file\0${await sandbox.resolve(String(input.path), 'read')}`, () => run(name, input))
          : await run(name, input);
        return outcome.diff === undefined || outcome.diff.length <= MAX_EVENT_DIFF_CHARS
          ? outcome
          : { ...outcome, diff: `${outcome.diff.slice(0, MAX_EVENT_DIFF_CHARS - 40)}\n[… diff cut for the event …]` };
      } catch (error) {
        if (error instanceof SandboxError && error.code !== 'invalid_path') return denied(name, error.message);
        if (error instanceof SandboxUnavailableError) return denied(name, error.message);
        if (error instanceof ToolsetUsageError) throw error;
        if (error instanceof CoordinateError) return failure(error.message, `${name}: ${error.message}`);
        return failure(`${name} failed: ${describeUnexpected(error, sandbox)}`);
      }
    },
  };
}

function describeInvalidInput(tool: string, error: z.ZodError): string {
  return `invalid input for ${tool}: ${formatZodError(error)}`;
}

/** An unexpected error's message, with the root's absolute path shortened to "." (the model works in relative paths). */
function describeUnexpected(error: unknown, sandbox: Sandbox): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(sandbox.root + path.sep).join('').split(sandbox.root).join('.');
}
