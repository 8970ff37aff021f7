import { CommitPoint, OutgoingMessage, SmsSender } from './message-sender';

/**
 * SMS as `POST {to, text, template, locale}` JSON to SMS_WEBHOOK_URL; 2xx means accepted.
 *
 * The body is streamed (chunked): all of it but its last byte first, then, once `commit()`
 * resolved, the last byte and the terminating chunk. The provider cannot take the request as
 * complete before that; when commit throws, the body stream errors, fetch aborts the request and
 * its connection, and the provider never sees a whole body.
 */
export class WebhookSmsSender extends SmsSender {
  constructor(private readonly url: string) {
    super();
  }

  async send(m: OutgoingMessage, commit: CommitPoint): Promise<void> {
    const body = Buffer.from(JSON.stringify({ to: m.to, text: m.text, template: m.templateKey, locale: m.locale }));
    let pulls = 0;
    let commitError: unknown;
    const stream = new ReadableStream<Uint8Array>(
      {
        // highWaterMark 0: fetch pulls each chunk when it is ready to write it, so the second pull
        // comes once the first chunk went out.
        async pull(controller) {
          if (pulls++ === 0) {
            controller.enqueue(body.subarray(0, body.length - 1));
            return;
          }
          try {
            await commit();
          } catch (err) {
            commitError = err;
            controller.error(err);
            return;
          }
          controller.enqueue(body.subarray(body.length - 1));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    // `duplex: 'half'` is what fetch requires for a stream body (missing from @types/node 20's RequestInit).
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': m.id },
      body: stream,
      duplex: 'half',
      signal: AbortSignal.timeout(5000),
    };
    const res = await fetch(this.url, init).catch((err: unknown) => {
      throw commitError ?? err; // fetch reports an aborted body as a bare "fetch failed"
    });
    await res.arrayBuffer().catch(() => undefined); // frees the connection for the next request
    if (res.status < 200 || res.status > 299) throw new Error(`SMS webhook answered ${res.status}`);
  }
}
