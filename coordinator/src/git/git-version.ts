/** `merge-tree --write-tree`, which merges without touching a checkout, arrived in git 2.38. */
export const MIN_GIT_VERSION = '2.38.0';

/** The numeric part of `git --version` output ("git version 2.39.5", "2.37.1 (Apple Git-137.1)", "2.41.0.windows.1"). */
export function parseGitVersion(output: string): string | undefined {
  return /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output)?.slice(1, 4).map((part) => part ?? '0').join('.');
}

export function isGitVersionAtLeast(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  const need = minimum.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
