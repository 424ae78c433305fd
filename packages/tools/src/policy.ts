import path from 'node:path';
import picomatch from 'picomatch';
import { formatZodError, ToolPolicy, type Directive, type Role } from '@coordinate/protocol';
import { isToolName, TOOL_CATALOG } from './catalog.js';
import { commandRefusal } from './command-rules.js';
import { ToolPolicyError } from './errors.js';
import { commandModeOf, ROLE_TIERS, toolRefusal } from './roles.js';


/** Validates a policy from a config file, naming the first offending field. */
export function parseToolPolicy(value: unknown): ToolPolicy {
  const parsed = ToolPolicy.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new ToolPolicyError(`invalid tool policy: ${formatZodError(parsed.error)}`, { issues: parsed.error.issues });
}

export type PermissionDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether `role` may call `tool` with `input` under `policy`. Paths in `input` are matched
 * against directive globs as given, relative to the task root: the toolset passes root-relative
 * paths. Every refusal names the rule or the directive, for the model to read.
 */
export function checkPermission(role: Role, tool: string, input: unknown, policy: ToolPolicy = {}): PermissionDecision {
  if (!isToolName(tool)) return deny(`there is no tool named "${tool}"`);
  const refusal = toolRefusal(role, tool, policy.tools);
  if (refusal) return deny(refusal);

  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (TOOL_CATALOG[tool].tier === 'edit' && typeof fields.path === 'string') {
    const broken = directiveForPath(fields.path, policy.directives ?? []);
    if (broken) return deny(`editing "${fields.path}" breaks directive ${broken.id}: ${broken.text}`);
  }
  if (tool === 'run_command' && typeof fields.command === 'string') {
    const granted = !ROLE_TIERS[role].includes('execute');
    const reason = commandRefusal(fields.command, {
      mode: commandModeOf(role, granted),
      allow: policy.commands?.allow ?? [],
      deny: policy.commands?.deny ?? [],
      network: policy.network === true,
      directives: policy.directives ?? [],
    });
    if (reason) return deny(reason);
  }
  return { allowed: true };
}

const deny = (reason: string): PermissionDecision => ({ allowed: false, reason });

function directiveForPath(file: string, directives: readonly Directive[]): Directive | undefined {
  const normalized = path.posix.normalize(file.replaceAll('\\', '/')).replace(/^(\.\/)+/, '');
  return directives.find((directive) => directive.paths?.length && picomatch(directive.paths, { dot: true })(normalized));
}
