// Writes bench/results/<date>-<scenario>.json and regenerates bench/results/SUMMARY.md from the
// newest result of every scenario.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, log } from './common.mjs';

export function writeResult(result) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const date = result.startedAt.slice(0, 10);
  const file = join(RESULTS_DIR, `${date}-${result.scenario}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${file}`);
  writeSummary();
  return file;
}

const fmt = (v) => (v === null || v === undefined ? '–' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v));

export function writeSummary() {
  const latest = new Map();
  for (const f of readdirSync(RESULTS_DIR).filter((n) => /^\d{4}-\d{2}-\d{2}-.+\.json$/.test(n)).sort()) {
    const r = JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8'));
    const prev = latest.get(r.scenario);
    if (!prev || prev.r.startedAt <= r.startedAt) latest.set(r.scenario, { f, r });
  }
  const order = ['bcrypt', 'typename', 'signIn', 'me', 'signUp', 'code', 'me-under-signin', 'admin-search', 'outbox', 'deletion'];
  const rows = [...latest.values()].sort((a, b) => order.indexOf(a.r.scenario) - order.indexOf(b.r.scenario));
  const lines = [
    '# Benchmark summary',
    '',
    'Newest result of each scenario (`npm run bench`, see [../README.md](../README.md)). Every figure stands next to its',
    'ceiling measured in the same run; "others" is the share of the whole machine (2 cores) that processes other than',
    "the benchmark's own used during the measured windows; a run over 10 % is marked disturbed and is not valid.",
    '',
    '| scenario | figure | value | ceiling (same run) | ratio | target | met | others' + ' CPU | valid | file |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { f, r } of rows) {
    const others = r.load ? `${fmt(r.load.othersPct)} %` : '–';
    const valid = r.skipped ? 'skipped' : r.valid ? 'yes' : '**disturbed**';
    for (const fig of r.figures ?? []) {
      lines.push(
        `| ${r.scenario} | ${fig.name} | ${fmt(fig.value)} ${fig.unit ?? ''} | ${fig.ceiling ? `${fmt(fig.ceiling.value)} ${fig.ceiling.unit ?? ''} (${fig.ceiling.name})` : '–'} | ${fig.ratio === undefined ? '–' : fmt(fig.ratio)} | ${fig.target ?? '–'} | ${fig.met === undefined ? '–' : fig.met ? 'yes' : '**no**'} | ${others} | ${valid} | [${f}](${f}) |`,
      );
    }
    if (r.skipped) lines.push(`| ${r.scenario} | – | – | – | – | – | – | – | skipped: ${r.skipped} | [${f}](${f}) |`);
  }
  // Where the machine's CPU went in each scenario's last measured window (the figure's own load).
  const roles = rows.filter(({ r }) => r.windows?.at(-1)?.oursByRole);
  if (roles.length) {
    lines.push(
      '',
      '## Where the CPU went',
      '',
      "Share of the whole machine (2 cores = 100 %) in each scenario's last measured window, by role: the service's",
      'main thread (JavaScript: HTTP, GraphQL, Nest, TypeORM), its hashing threads (bcrypt on the libuv pool, nice 5),',
      "its V8 helper threads (the garbage collector's parallel and concurrent work), PostgreSQL (every backend), and",
      'the harness (load generator, SMTP sink).',
      '',
      '| scenario | busy | by role |',
      '|---|---|---|',
    );
    for (const { r } of roles) {
      const w = r.windows.at(-1);
      const parts = Object.entries(w.oursByRole)
        .filter(([, pct]) => pct >= 0.5)
        .map(([role, pct]) => `${role} ${fmt(pct)} %`)
        .join(', ');
      lines.push(`| ${r.scenario} | ${fmt(w.machineBusyPct)} % | ${parts} |`);
    }
  }
  // The machine's phase when each scenario started (older results have none).
  const phased = rows.filter(({ r }) => r.config?.machineIndex);
  if (phased.length) {
    lines.push(
      '',
      '## Machine phase',
      '',
      "Measured just before each scenario (bench/lib/machine-index.mjs): 1-byte TCP round trips per second between two",
      'processes on loopback, pinned to one core (system calls and context switches) and free (adds waking an idle',
      'virtual CPU), and SHA-256 throughput in-process. On this machine (a nested VM) round trips move by a factor of 2',
      'to 4 within a session while compute moves by 10-20 %, and requests are mostly round trips (HTTP, SQL, SMTP):',
      'compare absolute figures only between runs of a similar phase.',
      '',
      '| scenario | started | round trips/s, one core | round trips/s, two cores | SHA-256 KiB/s |',
      '|---|---|---|---|---|',
    );
    for (const { r } of phased) {
      const m = r.config.machineIndex;
      lines.push(`| ${r.scenario} | ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC | ${fmt(m.roundTripsPerSecondOneCore)} | ${fmt(m.roundTripsPerSecondTwoCores)} | ${fmt(m.sha256KiBPerSecond)} |`);
    }
  }
  lines.push('', 'Commands and configuration of each run are in its JSON file (`command`, `config`, `commit`).', '');
  writeFileSync(join(RESULTS_DIR, 'SUMMARY.md'), lines.join('\n'));
}
