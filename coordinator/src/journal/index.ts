export * from './events.js';
export { Journal, type JournalOptions } from './journal.js';
export { readJournal } from './read.js';
export { JournalError, type JournalErrorCode } from './errors.js';
export { rebuildRunState, pendingTasks } from './state.js';
export { RunState, TaskState, TaskStatus, AttemptRecord, WorkerInfo, RunInfo, DroppedResult } from './state-schema.js';
