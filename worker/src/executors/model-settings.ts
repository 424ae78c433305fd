import { formatZodError, ModelExecutorSettings } from '@coordinate/protocol';
import { InvalidSettingsError } from './deterministic.js';

/** Validates `context.settings.model`, naming the first bad field. */
export function readModelSettings(raw: unknown): ModelExecutorSettings {
  const parsed = ModelExecutorSettings.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidSettingsError(formatZodError(parsed.error, { max: 1, at: ['settings', 'model'] }));
}
