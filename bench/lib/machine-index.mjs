// How fast this machine is right now, in the currencies the scenarios spend: compute (SHA-256
// over 1 KiB blocks, in-process) and round trips between processes (1-byte TCP ping-pong on
// loopback between two processes: two writes, two reads and two wake-ups each), once with both
// processes on one core (the cost of the system calls and context switches themselves) and once
// free to use both (on an idle machine that adds waking an idle virtual CPU). On this kind of
// machine (a nested VM) round trips move by a factor of 2 to 4 within a session while compute moves
// by 10-20 % (2026-12-01), and every request of the service is mostly round trips (HTTP, SQL, SMTP):
// the index, recorded before each scenario, says which phase a figure was measured in.
// `node bench/lib/machine-index.mjs` prints it.
import { execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

function echoServer() {
  const s = createServer((c) => {
    c.setNoDelay(true);
    c.on('data', (d) => c.write(d));
  });
  s.listen(0, '127.0.0.1', () => process.send(s.address().port));
}

/** Round trips per second to an echo child, measured in this process for `ms`. */
async function pingPong(ms) {
  const child = fork(SELF, ['--echo'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const port = await new Promise((resolve, reject) => child.once('message', resolve).once('error', reject));
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const ping = () =>
      new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write('x');
      });
    for (let i = 0; i < 200; i++) await ping(); // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      await ping();
      n += 1;
    }
    socket.destroy();
    return Math.round(n / ((performance.now() - t0) / 1000));
  } finally {
    child.kill('SIGKILL');
  }
}

/** The same ping-pong with both processes pinned to core 0 (null without taskset). */
function pingPongOneCore() {
  try {
    return Number(execFileSync('taskset', ['-c', '0', process.execPath, SELF, '--ping'], { encoding: 'utf8', timeout: 20_000 }).trim());
  } catch {
    return null;
  }
}

function sha256KiBPerSecond(ms) {
  const block = Buffer.alloc(1024, 7);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 100; i++) createHash('sha256').update(block).digest();
    n += 100;
  }
  return Math.round(n / ((performance.now() - t0) / 1000));
}

/** { roundTripsPerSecondOneCore, roundTripsPerSecondTwoCores, sha256KiBPerSecond }, about 3 s. */
export async function machineIndex() {
  return {
    roundTripsPerSecondOneCore: pingPongOneCore(),
    roundTripsPerSecondTwoCores: await pingPong(1000),
    sha256KiBPerSecond: sha256KiBPerSecond(500),
  };
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--echo') echoServer();
  else if (process.argv[2] === '--ping') console.log(await pingPong(1000));
  else console.log(JSON.stringify(await machineIndex()));
}
