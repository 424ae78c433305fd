export { ScratchpadError, type ScratchpadErrorCode } from './errors.js';
export { parseName, checkTaskId, MAX_NAME_LENGTH } from './names.js';
export { MAX_CONTENT_BYTES, MAX_ENTRIES } from './limits.js';
export { LocalScratchpad, type ScratchpadEntry } from './local.js';
export { RemoteScratchpad } from './remote.js';
export { answerScratchpadRequest } from './answer.js';
export { taskScratchpad } from './task-view.js';
export type {
  Scratchpad,
  ScratchpadRequester,
  ScratchpadRequest,
  ScratchpadReply,
  ScratchpadReadMessage,
  ScratchpadWriteMessage,
  ScratchpadContentMessage,
} from './types.js';
