import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@app/testing';

const run = promisify(execFile);

/**
 * The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at `epoch` seconds, computed by
 * otplib, as an authenticator app would. otplib's dependencies are ESM-only, which Jest cannot
 * require, so it runs in a plain Node child process.
 */
export async function totpAt(secret: string, epoch: number): Promise<string> {
  const script = `require('otplib').generate({ secret: process.argv[1], epoch: Number(process.argv[2]) }).then((c) => process.stdout.write(c))`;
  const { stdout } = await run(process.execPath, ['-e', script, secret, String(epoch)], { cwd: REPO_ROOT });
  return stdout.trim();
}
