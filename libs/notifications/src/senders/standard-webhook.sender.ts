import { createHmac } from 'node:crypto';
import { CommitPoint, OutgoingMessage, WebhookSender } from './message-sender';

/** The Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of "id.timestamp.body". */
export function signWebhook(secret: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Account events as Standard Webhooks (contract: Webhooks): `POST` of the JSON body with
 * `webhook-id` (the outbox row's id: the same on every retry, receivers deduplicate),
 * `webhook-timestamp` (this attempt's, in seconds: receivers refuse stale ones) and
 * `webhook-signature`. Any 2xx is delivery.
 *
 * At least once: the row is marked sent (commit) only after the receiver answered 2xx, so a crash
 * in between sends it again with the same id, never drops it.
 */
export class StandardWebhookSender extends WebhookSender {
  constructor(
    private readonly url: string,
    private readonly secret: Buffer,
  ) {
    super();
  }

  async send(m: OutgoingMessage, commit: CommitPoint): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': m.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(this.secret, m.id, timestamp, m.text),
      },
      body: m.text,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined); // frees the connection for the next request
    if (res.status < 200 || res.status > 299) throw new Error(`webhook receiver answered ${res.status}`);
    await commit();
  }
}
