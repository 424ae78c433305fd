export * from './schema.js';
export * from './errors.js';
export * from './graph.js';
export * from './markdown/index.js';
export * from './overlaps.js';
