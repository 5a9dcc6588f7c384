/**
 * One loader (or rollback) at a time per data directory: a lock file created exclusively
 * (`O_EXCL`) holding the owner's pid. A lock whose process is gone (killed mid-load) is stale and
 * taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors/index.js';

export function lockPath(dataDir: string): string {
  return join(dataDir, 'tiers', 'load.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws a clear error naming the process that holds it. Returns the release. */
export function acquireLoadLock(dataDir: string, what = 'load'): () => void {
  const path = lockPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, what, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: { pid?: number; what?: string; startedAt?: string } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
    } catch {
      // being written right now, or garbage: treated as stale below only if it stays unreadable
    }
    if (typeof holder.pid === 'number' && holder.pid !== process.pid && alive(holder.pid)) {
      throw new UserError(
        `another process (pid ${holder.pid}) is already running 'disco tiers ${holder.what ?? 'load'}' since ${holder.startedAt ?? '?'}`,
        {
          code: 'load-in-progress',
          exit: 1,
          where: path,
          hint: 'wait for it to finish; the tiers keep serving the current version meanwhile',
        },
      );
    }
    // Stale (its process died, e.g. kill -9 mid-load): the tiers still serve their previous state.
    rmSync(path, { force: true });
  }
  throw new UserError('could not take the tier load lock', {
    code: 'load-in-progress',
    exit: 1,
    where: path,
  });
}
