/**
 * The lock of a profile's progress file: proper-lockfile (a `<file>.lock` directory, refreshed
 * while held, stale after `staleMs`) plus a pid file `<file>.pid` naming the holder (first line
 * the process id, second line the host name), written once the lock is held.
 *
 * A wizard killed with SIGKILL (or crashed) leaves its lock behind, and proper-lockfile would
 * refuse the profile until the lock's mtime is `staleMs` old. When the pid file names a process
 * of this host that no longer exists (`process.kill(pid, 0)` throws ESRCH), the lock is stale at
 * once: it is removed and taken, with a notice.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { UserError } from './errors.js';

/** Who holds a profile, as its pid file says. `host` is undefined in a pid file with one line. */
export interface LockHolder {
  pid: number;
  host?: string;
}

/** Options of `lockProfile`. */
export interface LockProfileOptions {
  /** The progress file (absolute path); the lock is `<file>.lock`. */
  file: string;
  /** The pid file, `<file>.pid`. */
  pidFile: string;
  /** Profile name, for messages. */
  profileName: string;
  /** Lock staleness in milliseconds; the lock is refreshed at a third of it (at least every 1000 ms). */
  staleMs: number;
  /** Receives notices for the person (a dead holder's lock taken over, the lock lost). */
  notice: (message: string) => void;
}

/** Reads the pid file: undefined when absent or without a number. */
export function readHolder(pidFile: string): LockHolder | undefined {
  try {
    const [pidLine, hostLine] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number.parseInt(pidLine ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const host = hostLine?.trim();
    return host ? { pid, host } : { pid };
  } catch {
    return undefined;
  }
}

/**
 * True when the holder surely no longer runs: on this host (or no host recorded: the pid file is
 * written by this wizard on the machine it runs on) and `process.kill(pid, 0)` throws ESRCH. A
 * process of another user (EPERM) is alive; a holder on another host cannot be checked.
 */
export function holderIsGone(holder: LockHolder): boolean {
  if (holder.host !== undefined && holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
}

/**
 * Locks a profile and writes the pid file; takes over the lock of a holder that is gone.
 * @returns the release function of the lock (the caller removes the pid file before calling it).
 * @throws UserError `progress.locked` (usage: true) when a live (or unknown) holder has it;
 *   what proper-lockfile throws for other errors (e.g. EACCES).
 */
export async function lockProfile(options: LockProfileOptions): Promise<() => Promise<void>> {
  const { file, pidFile, profileName, staleMs, notice } = options;
  const lockDir = `${file}.lock`;
  const lockOptions = {
    realpath: false,
    lockfilePath: lockDir,
    stale: staleMs,
    update: Math.max(1000, Math.floor(staleMs / 3)),
    onCompromised: (err: Error) => notice(`lost the lock on ${file}: ${err.message}; another maas-wizard may now use this profile`),
  };
  const refused = (holder: LockHolder | undefined): UserError =>
    new UserError('progress.locked', `another maas-wizard is running on profile ${profileName} (pid ${holder?.pid ?? 'unknown'}); wait for it or use --profile`, {
      fix: 'wait for the other maas-wizard to finish, or choose another profile with --profile',
      usage: true,
    });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, lockOptions);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
    const holder = readHolder(pidFile);
    if (!holder || !holderIsGone(holder)) throw refused(holder);
    // The holder died without unlocking: its lock is stale now, not after staleMs.
    rmSync(lockDir, { recursive: true, force: true });
    try {
      release = await lockfile.lock(file, lockOptions);
    } catch (again) {
      // Another wizard took it between the removal and this lock.
      if ((again as { code?: string }).code === 'ELOCKED') throw refused(readHolder(pidFile));
      throw again;
    }
    notice(`profile ${profileName} was locked by maas-wizard pid ${holder.pid}, which no longer runs; took the lock over`);
  }
  try {
    writeFileSync(pidFile, `${process.pid}\n${hostname()}\n`);
  } catch (err) {
    await release();
    throw err;
  }
  return release;
}
