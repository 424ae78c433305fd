/**
 * Calls `onGone` once the process that spawned this one has died. Polling is the portable way:
 * an orphan is re-parented (its ppid changes) and the old pid stops answering signal 0.
 */
export function watchParent(parentPid: number, onGone: () => void, intervalMs = 500): () => void {
  const timer = setInterval(() => {
    if (process.ppid !== parentPid || !isAlive(parentPid)) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
