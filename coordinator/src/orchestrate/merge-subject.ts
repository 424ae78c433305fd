import type { TaskSpec } from '@coordinate/protocol';

/** Subject of the run branch's merge commits; the base commit is the first commit without it. */
export const MERGE_SUBJECT = 'coordinate: merge ';
const MERGE_LINE = new RegExp(`^${MERGE_SUBJECT}(\\S+) \\((.*)\\)$`);

/** The subject of the commit that merges `task` into the run branch. */
export const mergeSubject = (task: Pick<TaskSpec, 'id' | 'title'>) => `${MERGE_SUBJECT}${task.id} (${task.title})`;

/** The task a merge commit's subject names, if it is one of ours. */
export function taskOfMergeSubject(subject: string): { id: string; title: string } | undefined {
  const match = MERGE_LINE.exec(subject.trim());
  return match ? { id: match[1]!, title: match[2]! } : undefined;
}
