/** Process groups of commands still running, so none outlives the worker that started it. */
const live = new Set<number>();
let hooked = false;

/** Kills every process in group `pgid`; a group that is already gone is not an error. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function trackGroup(pgid: number): void {
  if (!hooked) {
    hooked = true;
    // Detached groups are not killed with their parent, so the worker kills them on its way out.
    process.once('exit', () => live.forEach(killGroup));
  }
  live.add(pgid);
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
}
