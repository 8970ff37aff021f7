// SMTP sink on loopback for the code and outbox scenarios: the same kind of real SMTP server as
// the test harness's libs/testing/src/smtp-sink.ts (smtp-server + postal-mime), reduced to what
// the benchmarks need: the code of each mail by recipient, and every X-Gatehouse-Message-Id seen
// (to count unique and duplicate deliveries). The code is found by the harness's own extraction,
// libs/testing/src/code-extract.shared.cjs.
//
// The server runs in a worker thread: on the harness's main thread its SMTP replies would wait
// behind the load generator's own work (16 client loops), and the service would seem to send
// slowly. The worker posts each accepted mail to the main thread, which keeps the counts.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { freePort } from './app.mjs';
import { extractCode } from '../../libs/testing/src/code-extract.shared.cjs';
// The service's default OTP_LENGTH: a greeting such as "Hi Bench 1234" holds a shorter run of digits before the code.
const OTP_LENGTH = 6;

async function serve({ port, parse }) {
  const { SMTPServer } = await import('smtp-server');
  const { default: PostalMime } = await import('postal-mime');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const at = Date.now();
        const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1');
        const id = /^X-Gatehouse-Message-Id:\s*(\S+)/im.exec(head)?.[1] ?? null;
        try {
          let code = null;
          if (parse) code = extractCode((await PostalMime.parse(raw)).text, OTP_LENGTH) ?? null;
          parentPort.postMessage({ at, id, code, to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) });
          callback();
        } catch (err) {
          callback(err);
        }
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  parentPort.postMessage({ ready: true });
  parentPort.on('message', (m) => {
    if (m === 'stop') server.close(() => parentPort.postMessage({ stopped: true }));
  });
}

if (!isMainThread && workerData?.gatehouseSmtpSink) await serve(workerData);

export async function startSmtpSink({ parse = true } = {}) {
  const port = await freePort();
  const waiting = new Map(); // address → [resolve]
  const ready = new Map(); // address → [code]
  const ids = new Set();
  const stats = { received: 0, duplicates: 0, firstAt: null, lastAt: null };

  const deliverCode = (address, code) => {
    const w = waiting.get(address);
    if (w && w.length) {
      w.shift()(code);
      if (!w.length) waiting.delete(address);
      return;
    }
    if (!ready.has(address)) ready.set(address, []);
    ready.get(address).push(code);
  };

  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { gatehouseSmtpSink: true, port, parse } });
  let onStopped = null;
  await new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m) => {
      if (m.ready) return resolve();
      if (m.stopped) return onStopped?.();
      stats.received += 1;
      stats.firstAt ??= m.at;
      stats.lastAt = m.at;
      if (m.id) {
        if (ids.has(m.id)) stats.duplicates += 1;
        else ids.add(m.id);
      }
      if (m.code) for (const r of m.to) deliverCode(r, m.code);
    });
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    stats,
    uniqueIds: () => ids.size,
    /** The next code mailed to `address` (already received or to come). */
    nextCode(address, timeoutMs = 10_000) {
      const a = address.toLowerCase();
      const q = ready.get(a);
      if (q && q.length) {
        const code = q.shift();
        if (!q.length) ready.delete(a);
        return Promise.resolve(code);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no code mailed to ${a} within ${timeoutMs} ms`)), timeoutMs);
        if (!waiting.has(a)) waiting.set(a, []);
        waiting.get(a).push((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    async stop() {
      await new Promise((resolve) => {
        onStopped = resolve;
        worker.postMessage('stop');
        setTimeout(resolve, 3000).unref();
      });
      await worker.terminate();
    },
  };
}
