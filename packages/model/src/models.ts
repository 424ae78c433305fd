import type Anthropic from '@anthropic-ai/sdk';
import type { Role } from '@coordinate/protocol';

export type ModelRole = 'planner' | Role;

/**
 * Defaults from the SDK's current model list (none it marks deprecated): the strongest for the
 * planner, whose one answer shapes the whole run; for workers, which take many turns each, a
 * faster model that still edits code well.
 */
export const DEFAULT_MODELS: Readonly<Record<ModelRole, Anthropic.Model>> = {
  planner: 'claude-opus-5-5',
  research: 'claude-sonnet-5-5',
  implement: 'claude-sonnet-5-5',
  verify: 'claude-sonnet-5-5',
};
