import { fork } from 'node:child_process';
import { join } from 'node:path';

// The embedded database's pool leases its one PGlite session exclusively (README, How it is
// built): without that, two concurrent transactions share one BEGIN … COMMIT, and a rolled-back
// row is committed by its neighbour. The scenario runs in a child (pglite-pool.spec-child.cjs).
function runScenario(): Promise<{ rows?: string[]; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'pglite-pool.spec-child.cjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: { rows?: string[]; error?: string } | undefined;
    child.on('message', (m: { rows?: string[]; error?: string }) => (answer = m));
    child.once('error', reject);
    child.once('exit', (code) => (answer ? resolve(answer) : reject(new Error(`the scenario exited (${code}) without an answer`))));
  });
}

describe('PGlitePool', () => {
  it('a transaction rolled back while another commits leaves only the committed row', async () => {
    const { rows, error } = await runScenario();
    expect(error).toBeUndefined();
    expect(rows).toEqual(['committed']);
  }, 60_000);
});
