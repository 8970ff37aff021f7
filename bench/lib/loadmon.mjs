// Watches the machine during a measured window: how much CPU went to processes that are not the
// benchmark's own (this harness and its children, the service, and the bench PostgreSQL server
// with its backends). A run where others used more than DISTURBED_OTHERS_PCT of the machine is
// marked disturbed and is not reported as valid.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { DISTURBED_OTHERS_PCT, round } from './common.mjs';
import { postmasterPid } from './postgres.mjs';

const NCPU = cpus().length;

function readStat() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, busy: total - idle - iowait - (steal ?? 0) };
}

/** pid → { ppid, ticks (utime + stime), comm } for every process we can read. */
function readProcs() {
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = s.lastIndexOf(')');
      const comm = s.slice(s.indexOf('(') + 1, close);
      const rest = s.slice(close + 2).split(' ');
      // rest[0] = state (field 3); utime = field 14, stime = field 15
      procs.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), comm });
    } catch {
      /* gone */
    }
  }
  return procs;
}

/**
 * The threads of one process, by role: its main thread (tid = pid), the threads running below the
 * event loop's priority (nice > 0: the service's hashing threads, see apps/api/src/thread-priority.ts)
 * and the rest (V8's helpers: concurrent marking and parallel scavenges of the garbage collector).
 */
function readThreads(pid) {
  const out = new Map();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
        const role = Number(tid) === pid ? 'main thread' : Number(rest[16]) > 0 ? 'hashing threads' : 'V8 helper threads (GC)';
        out.set(Number(tid), { role, ticks: Number(rest[11]) + Number(rest[12]) });
      } catch {
        /* gone */
      }
    }
  } catch {
    /* gone */
  }
  return out;
}

const kinds = new Map(); // pid → what it runs, read once from its command line
function kindOf(pid) {
  if (!kinds.has(pid)) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* gone */
    }
    kinds.set(pid, /apps\/api\/src\/main\.js|bench\/lib\/cluster\.cjs/.test(cmd) ? 'service' : /jobs\/deletions\.js/.test(cmd) ? 'deletion job' : /bcrypt-ceiling\.mjs/.test(cmd) ? 'bcrypt ceiling' : null);
  }
  return kinds.get(pid);
}

function descendants(procs, roots) {
  const ours = new Set(roots.filter((r) => r && procs.has(r)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!ours.has(pid) && ours.has(p.ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  return ours;
}

/**
 * start() → stop() returns { seconds, loadavgStart, loadavgEnd, machineBusyPct, oursPct,
 * oursByRole, othersPct, othersTop, disturbed } (percentages of the whole machine, all cores).
 * rootPids(): the roots of "our" process trees (re-read at every sample).
 */
export function startLoadMonitor(rootPids = () => []) {
  const t0 = Date.now();
  const stat0 = readStat();
  const loadavgStart = readFileSync('/proc/loadavg', 'utf8').trim();
  let last = readProcs();
  let lastThreads = new Map(); // service pid → its threads at the last sample
  let oursTicks = 0;
  // Where our CPU went: the harness (load generator, sinks), PostgreSQL, and each service process
  // by thread role.
  const byRole = new Map();
  const add = (role, ticks) => byRole.set(role, (byRole.get(role) ?? 0) + ticks);
  const othersByComm = new Map();
  const sample = () => {
    const now = readProcs();
    const ours = descendants(now, [process.pid, postmasterPid(), ...rootPids()]);
    const postgres = descendants(now, [postmasterPid()]);
    const threadsNow = new Map();
    for (const [pid, p] of now) {
      const before = last.get(pid);
      // A process born during the window counts with all its ticks (it started after t0 or close to it).
      const delta = before && before.comm === p.comm ? p.ticks - before.ticks : p.ticks;
      const kind = ours.has(pid) && !postgres.has(pid) ? kindOf(pid) : null;
      const service = kind !== null;
      if (service) {
        const threads = readThreads(pid);
        threadsNow.set(pid, threads);
        const prev = lastThreads.get(pid);
        for (const [tid, t] of threads) {
          const d = t.ticks - (prev?.get(tid)?.ticks ?? (before ? t.ticks : 0));
          if (d > 0) add(kind === 'bcrypt ceiling' ? kind : `${kind} ${t.role}`, d);
        }
      }
      if (delta <= 0) continue;
      if (ours.has(pid)) {
        oursTicks += delta;
        if (postgres.has(pid)) add('PostgreSQL', delta);
        else if (!service) add(pid === process.pid ? 'harness (load generator, sinks)' : `harness child ${p.comm}`, delta);
      } else othersByComm.set(p.comm, (othersByComm.get(p.comm) ?? 0) + delta);
    }
    last = now;
    lastThreads = threadsNow;
  };
  const timer = setInterval(sample, 500);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const stat1 = readStat();
      const seconds = (Date.now() - t0) / 1000;
      const totalTicks = stat1.total - stat0.total; // all cores
      const busyTicks = stat1.busy - stat0.busy;
      const machineBusyPct = (100 * busyTicks) / totalTicks;
      const oursPct = Math.min(machineBusyPct, (100 * oursTicks) / totalTicks);
      // Others = machine busy time not spent by our processes (kernel threads and short-lived
      // processes of other people included, which a per-process sum would miss).
      const othersPct = Math.max(0, machineBusyPct - oursPct);
      const othersTop = [...othersByComm.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([comm, ticks]) => ({ comm, pct: round((100 * ticks) / totalTicks) }));
      const oursByRole = Object.fromEntries([...byRole.entries()].sort((a, b) => b[1] - a[1]).map(([role, ticks]) => [role, round((100 * ticks) / totalTicks)]));
      return {
        seconds: round(seconds),
        cores: NCPU,
        oursByRole,
        loadavgStart,
        loadavgEnd: readFileSync('/proc/loadavg', 'utf8').trim(),
        machineBusyPct: round(machineBusyPct),
        oursPct: round(oursPct),
        othersPct: round(othersPct),
        othersTop,
        disturbed: othersPct > DISTURBED_OTHERS_PCT,
      };
    },
  };
}

/** Waits (up to maxMs) until the 1-minute load average is below `threshold`. */
export async function waitForQuiet(threshold, maxMs, log) {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const one = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    if (one < threshold) return { quiet: true, loadavg1: one };
    if (Date.now() > deadline) return { quiet: false, loadavg1: one };
    log(`waiting for a quiet machine: loadavg1 ${one} ≥ ${threshold}`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
}
