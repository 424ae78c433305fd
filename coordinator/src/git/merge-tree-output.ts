import type { ConflictedFile, ConflictKind } from '@coordinate/protocol';

export interface MergeTreeResult {
  tree: string;
  /** Sorted by path; empty when the merge is clean. */
  conflicts: ConflictedFile[];
}

/**
 * Reads `git merge-tree --write-tree -z` output: the tree, the conflicted index entries
 * ("<mode> <oid> <stage>\t<path>"), an empty field, then messages ("<n>", n paths, type, text).
 * The stages say the kind (1 = base, 2 = ours, 3 = theirs); a message whose type names a rename wins.
 */
export function parseMergeTree(stdout: string): MergeTreeResult {
  const fields = stdout.split('\0');
  const tree = (fields[0] ?? '').trim();
  const stages = new Map<string, Set<string>>();
  let at = 1;
  for (; at < fields.length && fields[at] !== ''; at++) {
    const [info = '', path = ''] = fields[at]!.split('\t');
    const stage = info.split(' ')[2] ?? '';
    if (!stages.has(path)) stages.set(path, new Set());
    stages.get(path)!.add(stage);
  }
  const renamed = new Set<string>();
  for (at++; at < fields.length; ) {
    const count = Number(fields[at]);
    if (!Number.isInteger(count) || count < 1) break;
    const paths = fields.slice(at + 1, at + 1 + count);
    const type = fields[at + 1 + count] ?? '';
    if (/^CONFLICT \(rename/.test(type)) for (const path of paths) renamed.add(path);
    at += count + 3;
  }
  const conflicts = [...stages].map(([path, present]): ConflictedFile => ({ path, kind: renamed.has(path) ? 'rename' : kindOf(present) }));
  return { tree, conflicts: conflicts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

function kindOf(stages: Set<string>): ConflictKind {
  if (!stages.has('1')) return 'add/add';
  return stages.has('2') && stages.has('3') ? 'content' : 'modify/delete';
}
