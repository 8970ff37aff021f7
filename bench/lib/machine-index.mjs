// How fast this machine is right now, in the two currencies the scenarios spend: compute (SHA-256
// over 1 KiB blocks, in-process) and round trips between processes (1-byte TCP ping-pong on
// loopback with a child process: two writes, two reads and two wake-ups each). On this kind of
// machine (a nested VM) the second moves by a factor of 2 to 3 within a session while the first
// moves by 10 % (2026-12-01), and every request of the service is mostly round trips (HTTP, SQL,
// SMTP): the index, recorded before each scenario, says which phase a figure was measured in.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';

const ECHO = `
  const s = require('node:net').createServer((c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)); });
  s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

async function roundTripsPerSecond(ms) {
  const child = spawn(process.execPath, ['-e', ECHO], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    });
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const ping = () => new Promise((resolve) => { socket.once('data', resolve); socket.write('x'); });
    for (let i = 0; i < 200; i++) await ping(); // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      await ping();
      n += 1;
    }
    const rate = n / ((performance.now() - t0) / 1000);
    socket.destroy();
    return rate;
  } finally {
    child.kill('SIGKILL');
  }
}

function sha256BlocksPerSecond(ms) {
  const block = Buffer.alloc(1024, 7);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 100; i++) createHash('sha256').update(block).digest();
    n += 100;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** { loopbackRoundTripsPerSecond, sha256KiBPerSecond }, about 1.5 s. */
export async function machineIndex() {
  return {
    loopbackRoundTripsPerSecond: Math.round(await roundTripsPerSecond(1000)),
    sha256KiBPerSecond: Math.round(sha256BlocksPerSecond(500)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await machineIndex()));
