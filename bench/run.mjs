#!/usr/bin/env node
// npm run bench [-- <scenario>… ] [--instances N] [--pool N] [--log-level L] [--profile]
//                [--wait-quiet] [--keep-pg] [--fast-pg] [--tag NAME]
// Starts PostgreSQL (Debian package, loopback, own data dir), builds the service if needed, runs
// each scenario against the service in production mode, writes bench/results/<date>-<scenario>.json
// and bench/results/SUMMARY.md. See bench/README.md.
import { cpus, loadavg, totalmem } from 'node:os';
import { CONNECTIONS, DISTURBED_OTHERS_PCT, DURATION_S, WARMUP_S, gitCommit, log, round } from './lib/common.mjs';
import { buildIfNeeded } from './lib/app.mjs';
import { waitForQuiet } from './lib/loadmon.mjs';
import { machineIndex } from './lib/machine-index.mjs';
import { startPostgres, stopPostgres } from './lib/postgres.mjs';
import { writeResult } from './lib/report.mjs';
import { SCENARIOS } from './scenarios.mjs';

const ORDER = ['bcrypt', 'typename', 'signIn', 'me', 'refresh', 'signUp', 'code', 'code-signin', 'me-under-signin', 'admin-search', 'outbox', 'deletion'];

function parseArgs(argv) {
  const opts = { scenarios: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--instances') opts.instances = Number(argv[++i]);
    else if (a === '--pool') opts.pool = Number(argv[++i]);
    else if (a === '--log-level') opts.logLevel = argv[++i];
    else if (a === '--profile') opts.profile = true;
    else if (a === '--wait-quiet') opts.waitQuiet = true;
    else if (a === '--keep-pg') opts.keepPg = true;
    else if (a === '--tag') opts.tag = argv[++i];
    else if (a === '--no-write') opts.noWrite = true;
    else if (a === '--fast-pg') opts.fastPg = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (!SCENARIOS[a]) throw new Error(`unknown scenario ${a}; one of: ${ORDER.join(', ')}`);
    else opts.scenarios.push(a);
  }
  if (opts.scenarios.length === 0) opts.scenarios = ORDER;
  return opts;
}

const argv = process.argv.slice(2);
const opts = parseArgs(argv);
const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
// A bench must stop by itself: hard cap on the whole invocation.
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 3600) * 1000;
setTimeout(() => {
  log(`hard time limit reached: stopping`);
  process.exit(2);
}, HARD_LIMIT_MS).unref();

buildIfNeeded();
const { url: pgUrl, durability } = await startPostgres(Boolean(opts.fastPg));
log(`bench PostgreSQL: ${durability.mode} durability (fsync=${durability.fsync}, synchronous_commit=${durability.synchronous_commit}, full_page_writes=${durability.full_page_writes})`);
const ctx = { pgUrl };
let failed = 0;
let quietBudgetMs = Number(process.env.BENCH_QUIET_WAIT_S ?? 600) * 1000;
try {
  for (const name of opts.scenarios) {
    let quiet;
    // One budget (10 minutes, BENCH_QUIET_WAIT_S) of waiting for the whole invocation.
    if (opts.waitQuiet) {
      const t0 = Date.now();
      quiet = await waitForQuiet(0.5, Math.max(0, quietBudgetMs), log);
      quietBudgetMs -= Date.now() - t0;
    }
    log(`=== ${name} ===`);
    const startedAt = new Date().toISOString();
    const machine = await machineIndex();
    log(`machine index: loopback round trips/s ${machine.roundTripsPerSecondOneCore} on one core, ${machine.roundTripsPerSecondTwoCores} across cores; SHA-256 ${machine.sha256KiBPerSecond} KiB/s`);
    let outcome;
    try {
      outcome = await SCENARIOS[name](ctx, opts);
    } catch (err) {
      failed += 1;
      log(`${name} FAILED: ${err.stack ?? err}`);
      continue;
    }
    const windows = outcome.windows ?? [];
    const worst = windows.reduce((w, x) => (!w || x.othersPct > w.othersPct ? x : w), null);
    const result = {
      scenario: name,
      startedAt,
      finishedAt: new Date().toISOString(),
      command,
      commit: gitCommit(),
      config: {
        warmupSeconds: WARMUP_S,
        durationSeconds: DURATION_S,
        connections: CONNECTIONS,
        instances: opts.instances ?? 1,
        databasePoolSize: opts.pool ?? 10,
        logLevel: opts.logLevel ?? 'warn',
        uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
        bcryptCost: 10,
        node: process.version,
        cores: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: round(totalmem() / 2 ** 30),
        loadavgAtStart: loadavg().map((x) => round(x, 2)),
        waitedForQuiet: quiet ?? null,
        // The machine's phase just before the scenario (bench/lib/machine-index.mjs).
        machineIndex: machine,
        tag: opts.tag ?? null,
        // Stock durability unless --fast-pg (diagnostics only: it hides the cost of every commit).
        postgresDurability: durability,
      },
      skipped: outcome.skipped ?? null,
      figures: outcome.figures ?? [],
      // The worst measured window; every window is in `windows`.
      load: worst,
      windows,
      wrongAnswers: (outcome.figures ?? []).reduce((n, f) => n + (f.errors ?? 0), 0),
      valid: !outcome.skipped && windows.length > 0 && windows.every((w) => !w.disturbed) && (outcome.figures ?? []).every((f) => !f.errors),
      disturbedThresholdPct: DISTURBED_OTHERS_PCT,
      extra: outcome.extra ?? {},
    };
    if (result.skipped) log(`${name}: skipped (${result.skipped})`);
    for (const f of result.figures) {
      log(`${name}: ${f.name} = ${f.value} ${f.unit ?? ''}${f.ceiling ? ` | ceiling ${f.ceiling.name} ${f.ceiling.value} ${f.ceiling.unit ?? ''} | ratio ${f.ratio}` : ''}${f.target ? ` | target ${f.target}: ${f.met === undefined ? '' : f.met ? 'MET' : 'NOT MET'}` : ''}`);
    }
    if (!result.valid && !result.skipped) log(`${name}: DISTURBED run (others used ${worst?.othersPct}% > ${DISTURBED_OTHERS_PCT}%): not valid`);
    if (!opts.noWrite) writeResult(result);
  }
} finally {
  if (!opts.keepPg) stopPostgres();
}
process.exit(failed ? 1 : 0);
