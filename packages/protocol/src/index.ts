export * from './errors.js';
export * from './domain.js';
export * from './messages.js';
export * from './codec.js';
