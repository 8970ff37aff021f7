// The bench side of bench/lib/count-statements.cjs: the node arguments and environment that preload
// the counter into the service, and dump(), which asks it for the statements sent since the last
// dump ([text, count] pairs) after letting the last operation's background work (a mail's send) end.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, sleep } from './common.mjs';

export function statementCounter(name) {
  const trigger = join(tmpdir(), `gatehouse-${name}-${process.pid}`);
  return {
    nodeArgs: ['--require', resolve(ROOT, 'bench/lib/count-statements.cjs')],
    env: { GH_STATEMENTS_DUMP: trigger },
    async dump() {
      await sleep(300);
      writeFileSync(trigger, '');
      for (let i = 0; i < 100 && existsSync(trigger); i++) await sleep(20);
      await sleep(50);
      const counts = JSON.parse(readFileSync(`${trigger}.out`, 'utf8'));
      rmSync(`${trigger}.out`, { force: true });
      return counts;
    },
  };
}
