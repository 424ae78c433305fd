import { executors } from '../executor.js';
import { deterministicExecutor } from './deterministic.js';
import { createModelExecutor } from './model.js';

// The worker entry imports this module, so every built-in executor is known by name.
executors.set('deterministic', () => deterministicExecutor);
executors.set('model', () => createModelExecutor());

export { deterministicExecutor, DeterministicSettings, InvalidSettingsError } from './deterministic.js';
export { createModelExecutor, type ModelExecutorOptions } from './model.js';
export { readModelSettings } from './model-settings.js';
