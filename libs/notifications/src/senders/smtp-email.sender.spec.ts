import { createServer, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { getFreePort, sleep, SmtpSink, startSmtpSink } from '@app/testing';
import { CommitPoint, OutgoingMessage } from './message-sender';
import { SmtpEmailSender } from './smtp-email.sender';

/*
 * The SMTP sender against the real test SMTP server (smtp-server, as in the e2e suites): the
 * end of data, and so the mail, exists only once the commit point succeeded.
 */

const identity = async () => ({ from: 'Gatehouse <no-reply@gatehouse.test>', replyTo: 'help@gatehouse.test' });

let n = 0;
function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    channel: 'EMAIL',
    to: `user${n}@example.com`,
    subject: 'Mã xác minh',
    html: '<p>Mã: <b>123456</b></p>',
    text: 'Mã của bạn là 123456.',
    templateKey: 'otp.verify_identifier',
    locale: 'vi',
    ...overrides,
  };
}

/** A commit point that records how often it ran and what the sink held when it started and when it resolved. */
function probe(sink: SmtpSink, outcome: () => Promise<void> = async () => undefined) {
  const seen = { calls: 0, sinkCountAtCommit: -1, sinkCountWhenCommitted: -1 };
  const commit: CommitPoint = async () => {
    seen.calls += 1;
    seen.sinkCountAtCommit = sink.messages().length;
    await outcome();
    seen.sinkCountWhenCommitted = sink.messages().length;
  };
  return { commit, seen };
}

describe('SmtpEmailSender: commit at the end of data', () => {
  let sink: SmtpSink;
  let sender: SmtpEmailSender;

  beforeAll(async () => {
    sink = await startSmtpSink();
    sender = new SmtpEmailSender(sink.url, identity);
  });
  afterAll(async () => {
    await sender?.close();
    await sink?.stop();
  });
  beforeEach(() => {
    sink.clear();
    sink.setFailing(false);
  });

  it('commit ok: exactly one mail, with the outbox headers, and nothing at the sink before the commit', async () => {
    const m = message();
    const { commit, seen } = probe(sink, () => sleep(300)); // the server holds the whole body and waits for the dot
    await sender.send(m, commit);
    expect(seen).toEqual({ calls: 1, sinkCountAtCommit: 0, sinkCountWhenCommitted: 0 });
    const mails = sink.messagesTo(m.to);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.envelopeFrom).toBe('no-reply@gatehouse.test');
    expect(mail.from).toContain('no-reply@gatehouse.test');
    expect(mail.replyTo).toEqual(['help@gatehouse.test']);
    expect(mail.subject).toBe('Mã xác minh');
    expect(mail.text.trim()).toBe('Mã của bạn là 123456.');
    expect(mail.html).toContain('<b>123456</b>');
    expect(mail.headers['message-id']).toBe(`<${m.id}@gatehouse.outbox>`);
    expect(mail.headers['x-gatehouse-message-id']).toBe(m.id);
    expect(mail.headers['x-gatehouse-template']).toBe('otp.verify_identifier');
  });

  it('commit throws: the send fails with its error, the server keeps nothing, and the pool sends the next one', async () => {
    const m = message();
    const { commit, seen } = probe(sink, async () => {
      throw new Error('lease lost');
    });
    await expect(sender.send(m, commit)).rejects.toThrow(/lease lost/);
    expect(seen.calls).toBe(1);
    await sleep(300);
    expect(sink.messages()).toHaveLength(0);

    const next = message();
    await sender.send(next, probe(sink).commit);
    expect(sink.messages().map((x) => x.to)).toEqual([[next.to]]);
  });

  it('refused after the end of data: the error surfaces after the commit', async () => {
    sink.setFailing(true);
    const { commit, seen } = probe(sink);
    await expect(sender.send(message(), commit)).rejects.toThrow(/451|failing/);
    expect(seen.calls).toBe(1);
    expect(sink.refusedCount()).toBeGreaterThan(0);
    expect(sink.messages()).toHaveLength(0);
  });

  it('a large message (past the stream buffers) arrives whole, once', async () => {
    const big = 'Lorem ipsum dolor sit amet. '.repeat(12_000); // ~330 KB
    const m = message({ text: big, html: `<p>${big}</p>` });
    const { commit, seen } = probe(sink);
    await sender.send(m, commit);
    expect(seen).toMatchObject({ calls: 1, sinkCountAtCommit: 0 });
    const [mail] = sink.messagesTo(m.to);
    expect(mail.text.trim()).toBe(big.trim());
  });

  it('20 at once go over at most 5 connections (the pool), each mail once', async () => {
    const messages = Array.from({ length: 20 }, () => message());
    await Promise.all(messages.map((m) => sender.send(m, async () => undefined)));
    const mails = sink.messages();
    expect(mails.map((x) => x.headers['x-gatehouse-message-id']).sort()).toEqual(messages.map((m) => m.id).sort());
    expect(new Set(mails.map((x) => x.remotePort)).size).toBeLessThanOrEqual(5);
  });

  it('40 at once through the pool of 5, every third commit refused: exactly the committed ones arrive, each once', async () => {
    const messages = Array.from({ length: 40 }, () => message());
    const results = await Promise.allSettled(
      messages.map((m, i) =>
        sender.send(m, async () => {
          if (i % 3 === 0) throw new Error(`refused ${i}`);
        }),
      ),
    );
    const expected = messages.filter((_, i) => i % 3 !== 0).map((m) => m.id);
    expect(results.map((r) => r.status)).toEqual(messages.map((_, i) => (i % 3 === 0 ? 'rejected' : 'fulfilled')));
    await sleep(300);
    const received = sink.messages().map((x) => x.headers['x-gatehouse-message-id']);
    expect([...received].sort()).toEqual([...expected].sort());
  });
});

describe('SmtpEmailSender: no commit before the server took the envelope', () => {
  it('a recipient refused at RCPT TO fails the send without a commit', async () => {
    const port = await getFreePort();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const sender = new SmtpEmailSender(`smtp://127.0.0.1:${port}`, identity);
    try {
      let commits = 0;
      await expect(
        sender.send(message(), async () => {
          commits += 1;
        }),
      ).rejects.toThrow(/550|no such user/);
      expect(commits).toBe(0);
    } finally {
      await sender.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('SmtpEmailSender: a send has a deadline', () => {
  /*
   * A server that answers one byte at a time, never a whole reply: no socket timeout fires (bytes
   * keep arriving), so without a deadline the send would hold its pool connection, and the
   * dispatcher's pass that awaits it, for as long as the server trickles.
   */
  it('a server trickling its replies fails the send at the deadline and its connection is closed', async () => {
    const port = await getFreePort();
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      let timer: NodeJS.Timeout | undefined;
      socket.write('220 trickle\r\n');
      socket.on('data', (chunk) => {
        // EHLO is answered; from MAIL FROM on, the reply comes a byte at a time and never ends
        if (/^(EHLO|HELO)/i.test(chunk.toString())) socket.write('250 trickle\r\n');
        else timer ??= setInterval(() => socket.write('2'), 200);
      });
      socket.on('close', () => {
        clearInterval(timer);
        sockets.delete(socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const sender = new SmtpEmailSender(`smtp://127.0.0.1:${port}`, identity, { sendDeadlineMs: 1500 });
    try {
      const started = Date.now();
      let commits = 0;
      // Bounded here too, so that without a deadline the test fails (and reaches its finally) instead of hanging.
      const sending = sender.send(message(), async () => {
        commits += 1;
      });
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        sending.then(
          () => 'sent',
          (err: Error) => err.message,
        ),
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still waiting after 10 s'), 10_000))),
      ]);
      clearTimeout(timer);
      expect(outcome).toMatch(/abort|deadline|timeout/i);
      expect(Date.now() - started).toBeLessThan(10_000); // the socket timeout (15 s) never fired
      expect(commits).toBe(0);
      await sleep(300);
      expect(sockets.size).toBe(0); // the stalled connection was closed, not left in the pool
    } finally {
      await sender.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 20_000);
});
