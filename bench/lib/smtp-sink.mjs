// SMTP sink on loopback for the code and outbox scenarios: the same kind of real SMTP server as
// the test harness's libs/testing/src/smtp-sink.ts (smtp-server + postal-mime), reduced to what
// the benchmarks need: the code of each mail by recipient, and every X-Gatehouse-Message-Id seen
// (to count unique and duplicate deliveries). The code is found with the same pattern as
// libs/testing/src/code-extract.ts.
import { SMTPServer } from 'smtp-server';
import PostalMime from 'postal-mime';
import { freePort } from './app.mjs';

const CODE = /(?<![\p{L}\p{N}_+\-:/.,@])(\d{4,10})(?![\p{L}\p{N}_\-:/@]|[.,]\d)/u;

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
        const now = Date.now();
        stats.received += 1;
        stats.firstAt ??= now;
        stats.lastAt = now;
        const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1');
        const idMatch = /^X-Gatehouse-Message-Id:\s*(\S+)/im.exec(head);
        if (idMatch) {
          if (ids.has(idMatch[1])) stats.duplicates += 1;
          else ids.add(idMatch[1]);
        }
        try {
          if (parse) {
            const mail = await PostalMime.parse(raw);
            const code = CODE.exec(mail.text ?? '')?.[1];
            if (code) for (const r of session.envelope.rcptTo) deliverCode(r.address.toLowerCase(), code);
          }
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
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
