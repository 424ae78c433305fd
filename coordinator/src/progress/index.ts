export { createProgressView, type ProgressView, type ProgressViewOptions, type ProgressStream } from './view.js';
export { ProgressState, type RunningTask } from './state.js';
export { startWaitingLine, whileWaiting, type WaitingLine, type WaitingLineOptions } from './waiting.js';
