import { OutgoingMessage, SmsSender } from './message-sender';

/** SMS as `POST {to, text, template, locale}` JSON to SMS_WEBHOOK_URL; 2xx means accepted. */
export class WebhookSmsSender extends SmsSender {
  constructor(private readonly url: string) {
    super();
  }

  async send(m: OutgoingMessage): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': m.id },
      body: JSON.stringify({ to: m.to, text: m.text, template: m.templateKey, locale: m.locale }),
      signal: AbortSignal.timeout(5000),
    });
    if (res.status < 200 || res.status > 299) throw new Error(`SMS webhook answered ${res.status}`);
  }
}
