import { startApp, StartAppOptions, stopWithAllApps, TestApp } from './app-process';
import { SmsSink, startSmsSink } from './sms-sink';
import { SmtpSink, startSmtpSink } from './smtp-sink';

export interface TestStack {
  app: TestApp;
  smtp: SmtpSink;
  sms: SmsSink;
  /** Stops the app (removing its data) and both sinks; `stopAllApps()` does it for every stack left running. */
  stop(): Promise<void>;
}

/** The usual end-to-end setup: an app whose mail and SMS go to fresh sinks (SMTP_URL, SMS_WEBHOOK_URL). */
export async function startStack(opts: StartAppOptions = {}): Promise<TestStack> {
  const smtp = await startSmtpSink();
  const sms = await startSmsSink();
  let app: TestApp;
  try {
    app = await startApp({ ...opts, env: { SMTP_URL: smtp.url, SMS_WEBHOOK_URL: sms.url, ...opts.env } });
  } catch (err) {
    await Promise.allSettled([smtp.stop(), sms.stop()]);
    throw err;
  }
  const stop = async () => {
    forget();
    const results = await Promise.allSettled([app.stop(), smtp.stop(), sms.stop()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const forget = stopWithAllApps(stop);
  return { app, smtp, sms, stop };
}
