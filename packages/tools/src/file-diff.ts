import { createTwoFilesPatch } from 'diff';

/** Beyond this many edits the diff is not computed: it would cost more time than it tells. */
const MAX_EDIT_LENGTH = 20_000;

export interface FileDiff {
  patch: string;
  added: number;
  removed: number;
}

/** A unified diff of one file, as `git diff` shows it (a new file comes from /dev/null). */
export function fileDiff(display: string, before: string | undefined, after: string): FileDiff {
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${display}`, `b/${display}`, before ?? '', after, undefined, undefined, {
    context: 3,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (patch === undefined) return { patch: `(the change to ${display} is too large to show as a diff)`, added: 0, removed: 0 };
  const lines = patch.split('\n');
  const body = lines.slice(lines.findIndex((line) => line.startsWith('--- ')));
  return {
    patch: body.join('\n'),
    added: body.filter((line) => line.startsWith('+') && !line.startsWith('+++ ')).length,
    removed: body.filter((line) => line.startsWith('-') && !line.startsWith('--- ')).length,
  };
}
