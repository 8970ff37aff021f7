// Load through autocannon's programmatic API: a warm-up run whose figures are thrown away, then
// the measured run, with the load monitor watching the measured window only.
import autocannon from 'autocannon';
import { CONNECTIONS, DURATION_S, WARMUP_S, log, percentile, round } from './common.mjs';
import { startLoadMonitor } from './loadmon.mjs';

// BENCH_SLOW_MS: log every answer slower than this, with when it ended (diagnostics).
const SLOW_MS = process.env.BENCH_SLOW_MS ? Number(process.env.BENCH_SLOW_MS) : Infinity;

function runOnce(opts, latencies) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    // Every answer's own latency (ms), for exact percentiles (autocannon's summary has no p95).
    const t0 = Date.now();
    if (latencies) instance.on('response', (_client, _status, _bytes, ms) => {
      latencies.push(ms);
      if (ms > SLOW_MS) log(`slow answer ${Math.round(ms)} ms, ended at +${Date.now() - t0} ms`);
    });
  });
}

/**
 * Drives `bodies` (GraphQL request bodies, objects) against url/graphql, round-robin;
 * `headersFor(i)` gives body i's headers (e.g. its account's bearer token).
 * Every answer is checked: a GraphQL `errors` array counts as an error, and the run reports it.
 */
export async function graphqlLoad({
  url,
  bodies,
  headersFor = () => ({}),
  connections = CONNECTIONS,
  warmup = WARMUP_S,
  duration = DURATION_S,
  overallRate,
  monitorRoots = () => [],
  label = 'load',
  expect = (body) => !body.includes('"errors"'),
}) {
  const counters = { ok: 0, errors: 0, sampleError: null };
  const latencies = [];
  const payloads = bodies.map((b, i) => ({
    body: JSON.stringify(b),
    headers: { 'content-type': 'application/json', ...headersFor(i) },
  }));
  let next = 0;
  const make = (measure) => ({
    url: `${url}/graphql`,
    connections,
    duration: measure ? duration : warmup,
    overallRate,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          // Round-robin over the bodies (autocannon resets per-connection context each request).
          const p = payloads[next++ % payloads.length];
          return { ...req, body: p.body, headers: p.headers };
        },
        onResponse: (status, body) => {
          if (!measure) return;
          if (status === 200 && expect(body)) counters.ok += 1;
          else {
            counters.errors += 1;
            counters.sampleError ??= `${status} ${String(body).slice(0, 300)}`;
          }
        },
      },
    ],
  });
  if (warmup > 0) {
    log(`${label}: warm-up ${warmup} s`);
    await runOnce(make(false));
  }
  log(`${label}: measuring ${duration} s, ${connections} connections${overallRate ? `, ${overallRate} req/s` : ''}`);
  const monitor = startLoadMonitor(monitorRoots);
  const r = await runOnce(make(true), latencies);
  const load = monitor.stop();
  const summary = summarize(r, counters, latencies);
  log(`${label}: ${summary.rps} req/s, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, errors ${summary.errors}; others used ${load.othersPct}% of the machine`);
  log(`${label}: CPU of the machine by role (%): ${JSON.stringify(load.oursByRole)}`);
  return { ...summary, load };
}

export function summarize(r, counters, latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: r.requests.total,
    seconds: round(r.duration, 2),
    // Only answers that were right count toward throughput.
    rps: round(counters.ok / r.duration, 1),
    ok: counters.ok,
    errors: counters.errors + r.errors + r.timeouts,
    sampleError: counters.sampleError,
    // autocannon's per-answer latency, every answer kept: exact percentiles.
    latencyMs: {
      p50: round(percentile(sorted, 50), 2),
      p95: round(percentile(sorted, 95), 2),
      p99: round(percentile(sorted, 99), 2),
      max: round(sorted[sorted.length - 1], 2),
      mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1), 2),
    },
    autocannonLatencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
  };
}
