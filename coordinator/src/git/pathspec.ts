/**
 * Pathspecs for "the whole tree except `.coordinate/`": run state, memory and worktrees live there,
 * so it never counts as a change, is never staged, and never makes a tree dirty.
 */
export const OUTSIDE_COORDINATE_DIR = [':(top)', ':(top,exclude).coordinate'] as const;
