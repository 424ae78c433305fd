import type { ConfigInForce } from '../config/index.js';

/**
 * What the approval screen says about the config in force: the repository's
 * `.coordinate/config.json` (its hash, whether it is trusted) and each setting that widens
 * what the person's own settings allow, applied or held back. Empty when there is nothing to say.
 * Lines carry no newline; values are JSON-quoted, so control characters in them show escaped.
 */
export function describeConfigInForce(inForce: ConfigInForce): string[] {
  const lines = [...inForce.notices];
  const repo = inForce.repoConfig;
  if (!repo) return lines;
  const trust =
    repo.trustedBy === 'record' ? 'trusted by you (coordinate trust)' : repo.trustedBy === 'flag' ? 'trusted for this run (--trust-repo-config)' : 'not trusted: it can only narrow your settings';
  lines.push(`Repository config ${repo.file} (sha256 ${repo.sha256.slice(0, 12)}…), ${trust}.`);
  if (repo.widens.length > 0) {
    lines.push(repo.trustedBy ? '  It widens (applied):' : '  It would widen (not applied; review with `coordinate trust`):');
    for (const item of repo.widens) lines.push(`    - ${item}`);
  }
  for (const item of repo.ignored) lines.push(`  Ignored: ${item}`);
  return lines;
}
