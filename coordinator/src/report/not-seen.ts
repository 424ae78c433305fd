/** Files listed by name before the rest are only counted. */
const MAX_LISTED = 20;

/** The files a run does not see, as lines for the approval screen and the reports; none when there are none. */
export function notSeenLines(files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const more = files.length > MAX_LISTED ? [`  … and ${files.length - MAX_LISTED} more`] : [];
  return [
    `Not seen by the run: ${files.length} uncommitted or untracked file${files.length === 1 ? '' : 's'} in your working tree. The run starts from your last commit; --include-uncommitted starts it from a snapshot of your working tree instead.`,
    ...files.slice(0, MAX_LISTED).map((file) => `  ${file}`),
    ...more,
  ];
}
