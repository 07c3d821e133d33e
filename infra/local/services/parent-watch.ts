/**
 * Service children exit when the process that started them disappears, so a `kill -9` of the host
 * does not leave orphans holding ports and data files.
 */

/** Environment variable through which a supervisor passes its pid to a service child. */
export const PARENT_PID_ENV = 'FUNCTIONS_HOST_PARENT_PID';

function parentAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else, i.e. it was reused after our parent died.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH' && (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Calls `onParentGone` once when the parent named in FUNCTIONS_HOST_PARENT_PID is gone (checked every
 * second; also when we get re-parented, which catches pid reuse). Does nothing without the variable.
 */
export function watchParent(onParentGone: () => void, intervalMs = 1000): void {
  const pid = Number(process.env[PARENT_PID_ENV]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const originalPpid = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === originalPpid && parentAlive(pid)) return;
    clearInterval(timer);
    onParentGone();
  }, intervalMs);
  timer.unref();
}
