export * from './outcome.js';
export * from './errors.js';
export * from './task-errors.js';
export * from './domain.js';
export * from './messages.js';
export * from './codec.js';
export * from './failed-result.js';
export * from './zod-error.js';
