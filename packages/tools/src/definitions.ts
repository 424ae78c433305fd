import { z } from 'zod';
import type { Role, ToolName, ToolPolicy } from '@coordinate/protocol';
import { TOOL_CATALOG } from './catalog.js';
import { runCommandDescription } from './command-description.js';
import { commandModeOf, ROLE_TIERS, toolsFor } from './roles.js';

/** A tool as the Messages API takes it (structurally an Anthropic `Tool`). */
export interface ToolDefinition {
  name: ToolName;
  description: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };
}

const cache = new Map<ToolName, ToolDefinition>();

export function toolDefinition(name: ToolName): ToolDefinition {
  let definition = cache.get(name);
  if (!definition) {
    const entry = TOOL_CATALOG[name];
    // The model writes the input, so the schema it sees is the input side (defaults optional).
    const { $schema: _dialect, ...schema } = z.toJSONSchema(entry.schema, { io: 'input' }) as Record<string, unknown>;
    definition = { name, description: entry.description, input_schema: { ...schema, type: 'object' } };
    cache.set(name, definition);
  }
  return definition;
}

/**
 * The definitions of the tools `role` may use under `policy`, complete_task included. run_command
 * says what really confines it: the OS sandbox (unless `sandboxed` is false), the network as the
 * policy sets it, and the role's allowlist.
 */
export function toolDefinitionsFor(role: Role, policy?: ToolPolicy, sandboxed = true): ToolDefinition[] {
  return toolsFor(role, policy?.tools).map((name) => {
    if (name !== 'run_command') return toolDefinition(name);
    const mode = commandModeOf(role, !ROLE_TIERS[role].includes('execute'));
    return { ...toolDefinition(name), description: runCommandDescription({ mode, network: policy?.network === true, sandboxed }) };
  });
}
