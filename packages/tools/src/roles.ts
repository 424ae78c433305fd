import { ToolName, type Role } from '@coordinate/protocol';
import { TOOL_CATALOG, type Tier } from './catalog.js';

/** The tiers each role works in. `execute` for implement is narrowed to allowlisted commands. */
export const ROLE_TIERS: Record<Role, readonly Tier[]> = {
  research: ['observe', 'record'],
  implement: ['observe', 'record', 'edit', 'execute'],
  verify: ['observe', 'record', 'execute'],
};

/**
 * How freely a role may run commands: `any` command the deny list lets through, only
 * `allowlisted` ones, or none. A role without the execute tier that config grants
 * run_command to gets the allowlist, never more.
 */
export type CommandMode = 'any' | 'allowlisted' | 'none';

export function commandModeOf(role: Role, granted: boolean): CommandMode {
  if (role === 'verify') return 'any';
  if (role === 'implement' || granted) return 'allowlisted';
  return 'none';
}

export interface ToolGrants {
  allow?: readonly string[] | undefined;
  deny?: readonly string[] | undefined;
}

/** Whether `role` may use `tool` under `grants`. complete_task is always open: a task must be able to end. */
export function mayUse(role: Role, tool: ToolName, grants: ToolGrants | undefined): boolean {
  if (tool === 'complete_task') return true;
  if (grants?.deny?.includes(tool)) return false;
  return ROLE_TIERS[role].includes(TOOL_CATALOG[tool].tier) || grants?.allow?.includes(tool) === true;
}

/** Why `role` may not use `tool` under `grants`, or undefined when it may. */
export function toolRefusal(role: Role, tool: ToolName, grants: ToolGrants | undefined): string | undefined {
  if (mayUse(role, tool, grants)) return undefined;
  if (grants?.deny?.includes(tool)) return `${tool} is turned off by the project's tool policy (tools.deny)`;
  return `the ${role} role may not use ${tool} (${TOOL_CATALOG[tool].tier} tier); it may use ${toolsFor(role, grants).join(', ')}`;
}

/** The tools `role` may use under `grants`, in catalog order. */
export function toolsFor(role: Role, grants?: ToolGrants): ToolName[] {
  return ToolName.options.filter((tool) => mayUse(role, tool, grants));
}
