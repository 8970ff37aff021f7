import { sleep, SmsSink, startSmsSink } from '@app/testing';
import { CommitPoint, OutgoingMessage } from './message-sender';
import { WebhookSmsSender } from './webhook-sms.sender';

/*
 * The webhook SMS sender against the test SMS sink (a real HTTP server that records a request once
 * its whole body arrived): the body is complete, and so the SMS exists, only once the commit point
 * succeeded.
 */

let n = 0;
function sms(): OutgoingMessage {
  n += 1;
  return {
    id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
    channel: 'SMS',
    to: `+8490123${String(n).padStart(4, '0')}`,
    subject: null,
    html: null,
    text: `Gatehouse: ma ${String(100000 + n)}`,
    templateKey: 'otp.verify_identifier',
    locale: 'vi',
  };
}

describe('WebhookSmsSender: commit before the last chunk', () => {
  let sink: SmsSink;
  let sender: WebhookSmsSender;

  beforeAll(async () => {
    sink = await startSmsSink();
    sender = new WebhookSmsSender(sink.url);
  });
  afterAll(async () => {
    await sink?.stop();
  });
  beforeEach(() => {
    sink.clear();
    sink.setFailing(false);
  });

  it('commit ok: exactly one request, with the Idempotency-Key, recorded only after the commit', async () => {
    const m = sms();
    const seen: number[] = [];
    const commit: CommitPoint = async () => {
      seen.push(sink.attempts().length);
      await sleep(300); // the sink holds all of the body but its end
      seen.push(sink.attempts().length);
    };
    await sender.send(m, commit);
    expect(seen).toEqual([0, 0]);
    const got = sink.messagesTo(m.to);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ text: m.text, template: 'otp.verify_identifier', locale: 'vi' });
    expect(got[0].headers['idempotency-key']).toBe(m.id);
  });

  it('commit throws: the send fails with its error, the sink records nothing, and the next send goes through', async () => {
    let calls = 0;
    await expect(
      sender.send(sms(), async () => {
        calls += 1;
        throw new Error('lease lost');
      }),
    ).rejects.toThrow('lease lost');
    expect(calls).toBe(1);
    await sleep(300);
    expect(sink.attempts()).toHaveLength(0);

    const next = sms();
    await sender.send(next, async () => undefined);
    expect(sink.messages().map((x) => x.to)).toEqual([next.to]);
  });

  it('the provider refuses (503): the error surfaces after the commit', async () => {
    sink.setFailing(true);
    let calls = 0;
    await expect(
      sender.send(sms(), async () => {
        calls += 1;
      }),
    ).rejects.toThrow(/503/);
    expect(calls).toBe(1);
    expect(sink.attempts()).toHaveLength(1);
    expect(sink.messages()).toHaveLength(0);
  });
});
