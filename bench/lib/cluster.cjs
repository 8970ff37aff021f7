'use strict';
// Runs N copies of the built service behind one port with Node's cluster module (the instances
// are stateless; the kernel/cluster primary spreads connections). Used by `--instances 2`.
// The first worker boots alone (it applies migrations), then the others. Prints each worker's
// pid as `WORKER_PID <pid>` so the harness can read their memory and CPU.
const cluster = require('node:cluster');
const path = require('node:path');

const n = Number(process.env.BENCH_INSTANCES || 2);
cluster.setupPrimary({ exec: path.resolve(__dirname, '../../dist/apps/api/src/main.js'), silent: false });
let started = 0;
function fork() {
  const w = cluster.fork();
  process.stdout.write(`WORKER_PID ${w.process.pid}\n`);
  w.on('listening', () => {
    started += 1;
    if (started < n) fork();
    else process.stdout.write('CLUSTER_READY\n');
  });
  w.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`worker ${w.process.pid} exited (${code ?? signal})\n`);
      process.exit(1);
    }
  });
}
let stopping = false;
function stop() {
  stopping = true;
  for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
  setTimeout(() => process.exit(0), 8000).unref();
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers).length === 0) process.exit(0);
  });
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
fork();
