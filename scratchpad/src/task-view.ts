import type { TaskScratchpad } from '@coordinate/protocol';
import type { Scratchpad } from './types.js';

/** The scratchpad as task `taskId`'s tools see it: reads anywhere, writes only in `<taskId>/`. */
export function taskScratchpad(pad: Scratchpad, taskId: string): TaskScratchpad {
  return {
    read: (name) => pad.read(name),
    list: (prefix) => pad.list(prefix),
    write: (name, content) => pad.write(taskId, name, content),
  };
}
