import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@app/testing';

/** Helpers shared by the account-deletion suites (black-box: they only spawn the built job). */

export interface DeletionRequest {
  id: string;
  accountId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'COMPLETED';
  reason: string | null;
  requestedAt: string;
  confirmedAt: string | null;
  scheduledFor: string | null;
  cancelledAt: string | null;
  completedAt: string | null;
}

export function jobEntry(): string {
  const entry = join(REPO_ROOT, 'dist/apps/api/src/jobs/deletions.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  return entry;
}

export interface JobRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  pid?: number;
}

/**
 * `npm run job:deletions` as the operator runs it: `node dist/apps/api/src/jobs/deletions.js`
 * with the service's environment. `onSpawn` hands over a kill switch (crash tests).
 */
export function runDeletionJobProcess(
  env: Record<string, string>,
  opts: { timeoutMs?: number; onSpawn?: (kill: (signal?: NodeJS.Signals) => void) => void } = {},
): Promise<JobRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [jobEntry()], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const kill = (signal: NodeJS.Signals = 'SIGKILL') => child.kill(signal);
    opts.onSpawn?.(kill);
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`job:deletions did not finish in ${opts.timeoutMs ?? 60_000} ms:\n${output}`));
    }, opts.timeoutMs ?? 60_000);
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, pid: child.pid });
    });
  });
}
