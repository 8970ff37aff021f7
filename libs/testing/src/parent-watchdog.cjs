'use strict';
// Preloaded (node --require) into every app the test harness starts. The harness keeps the
// child's stdin as a pipe; when the test process dies without stopping its apps (a crashed
// Jest worker, Ctrl-C), the pipe ends and the app shuts itself down instead of lingering on
// its port. The stream is unref'd so it never keeps a stopping app alive.
const stdin = process.stdin;
stdin.on('end', () => {
  process.stderr.write('[test-harness watchdog] the test process went away: stopping\n');
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 5000).unref();
});
stdin.on('error', () => undefined);
stdin.resume();
if (typeof stdin.unref === 'function') stdin.unref();
