// Whether the process holding a lease (job watcher, outbox row) still exists: lets a lease of a process killed
// with kill -9 be taken at once instead of after it runs out. Only this host's processes can be checked.
import { hostname } from 'node:os';

/** True unless `pid` on this host is known to be gone (another host's process is assumed alive). */
export function processAlive(pid: number, host: string): boolean {
  if (host !== hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
