import { createTransport } from 'nodemailer';
import { extractCode } from './code-extract';
import { getFreePort } from './free-port';
import { SmsSink, startSmsSink } from './sms-sink';
import { SmtpSink, startSmtpSink } from './smtp-sink';

describe('test harness sinks', () => {
  describe('extractCode', () => {
    it('takes a standalone run of 4–10 digits', () => {
      expect(extractCode('Your Gatehouse code is 042917. It expires in 10 minutes.')).toBe('042917');
      expect(extractCode('Mã của bạn: 12345678')).toBe('12345678');
    });

    it('does not take dates, times, phone numbers or decimals for a code', () => {
      expect(extractCode('Scheduled for 2030-01-31 10:45, call +84901234567 or 1.2345')).toBeUndefined();
      expect(extractCode('scheduled 31/01/2030 then code 998877')).toBe('998877');
      expect(extractCode('Hi u_47114485ab, user.123456@example.com, x123456: your code is\n\n665829\n')).toBe('665829');
      expect(extractCode('Chào Ánh123456, mã: 665829.')).toBe('665829');
    });

    it('honours a wanted length', () => {
      expect(extractCode('ref 1234 code 123456', 6)).toBe('123456');
    });
  });

  describe('SMTP sink', () => {
    let sink: SmtpSink;
    beforeAll(async () => {
      sink = await startSmtpSink();
    });
    afterAll(async () => {
      await sink.stop();
    });
    beforeEach(() => sink.clear());

    const send = (to: string, text: string, extra: Record<string, unknown> = {}) =>
      createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true }).sendMail({
        from: 'Gatehouse <no-reply@localhost>',
        to,
        subject: 'Mã xác minh của bạn',
        text,
        ...extra,
      });

    it('receives and parses a mail (quoted-printable UTF-8 text and HTML)', async () => {
      await send('Alice@Example.com', 'Xin chào Ánh,\nmã của bạn là 123456 — hết hạn sau 10 phút.', {
        html: '<p>Mã: <b>123456</b></p>',
        textEncoding: 'quoted-printable',
      });
      const mail = await sink.waitFor((m) => m.to.includes('alice@example.com'));
      expect(mail.subject).toBe('Mã xác minh của bạn');
      expect(mail.text).toContain('Xin chào Ánh');
      expect(mail.html).toContain('<b>123456</b>');
      expect(mail.fromAddress).toBe('no-reply@localhost');
      expect(mail.raw).toContain('Content-Transfer-Encoding: quoted-printable');
      expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
    });

    it('hands out each code once, oldest first, and waits for the next one', async () => {
      await send('bob@example.com', 'code 111111');
      await send('bob@example.com', 'Password changed on 2030-01-31 (no code here)');
      await send('bob@example.com', 'code 222222');
      expect(await sink.waitForCode('bob@example.com', 2000)).toBe('111111');
      expect(await sink.waitForCode('BOB@example.com', 2000)).toBe('222222');
      const third = sink.waitForCode('bob@example.com', 5000);
      await send('bob@example.com', 'code 333333');
      await expect(third).resolves.toBe('333333');
      await expect(sink.waitForCode('bob@example.com', 200)).rejects.toThrow(/timed out/);
    });

    it('refuses mail while failing and accepts it again afterwards', async () => {
      sink.setFailing(true);
      await expect(send('carol@example.com', 'code 444444')).rejects.toThrow();
      expect(sink.refusedCount()).toBeGreaterThan(0);
      expect(sink.messagesTo('carol@example.com')).toHaveLength(0);
      sink.setFailing(false);
      await send('carol@example.com', 'code 444444');
      expect(await sink.waitForCode('carol@example.com', 2000)).toBe('444444');
    });

    it('can be stopped (connections refused) and restarted on the same port', async () => {
      const port = sink.port;
      await sink.stop();
      await expect(send('dave@example.com', 'code 555555')).rejects.toThrow();
      await sink.start();
      expect(sink.port).toBe(port);
      await send('dave@example.com', 'code 555555');
      expect(await sink.waitForCode('dave@example.com', 2000)).toBe('555555');
      await sink.restart();
      await send('dave@example.com', 'code 666666');
      expect(await sink.waitForCode('dave@example.com', 2000)).toBe('666666');
    });
  });

  describe('SMS sink', () => {
    let sink: SmsSink;
    beforeAll(async () => {
      sink = await startSmsSink();
    });
    afterAll(async () => {
      await sink.stop();
    });

    const post = (body: unknown) => fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('accepts the webhook JSON and hands out the code', async () => {
      const res = await post({ to: '+84901234567', text: 'Gatehouse: ma 654321', template: 'otp.verify_identifier', locale: 'vi' });
      expect(res.status).toBe(200);
      const sms = await sink.waitFor((m) => m.to === '+84901234567');
      expect(sms).toMatchObject({ template: 'otp.verify_identifier', locale: 'vi' });
      expect(await sink.waitForCode('+84901234567', 1000)).toBe('654321');
    });

    it('answers 503 while failing, records the attempt but not the message', async () => {
      sink.setFailing(true);
      const res = await post({ to: '+84907654321', text: 'code 777777' });
      expect(res.status).toBe(503);
      expect(sink.messagesTo('+84907654321')).toHaveLength(0);
      expect(sink.attempts().some((m) => m.to === '+84907654321')).toBe(true);
      sink.setFailing(false);
      expect((await post({ to: '+84907654321', text: 'code 777777' })).status).toBe(200);
      expect(await sink.waitForCode('+84907654321', 1000)).toBe('777777');
    });

    it('refuses a body that is not JSON', async () => {
      const res = await fetch(sink.url, { method: 'POST', body: 'nope' });
      expect(res.status).toBe(400);
    });
  });

  it('getFreePort gives a bindable loopback port', async () => {
    const port = await getFreePort();
    expect(port).toBeGreaterThan(0);
    const sms = await startSmsSink({ port });
    expect(sms.port).toBe(port);
    await sms.stop();
  });
});
