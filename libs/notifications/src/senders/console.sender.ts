import { Logger } from '@nestjs/common';
import { CommitPoint, EmailSender, OutgoingMessage, SmsSender } from './message-sender';

/**
 * Development provider (no SMTP_URL / SMS_WEBHOOK_URL): prints the rendered text. The only
 * place a code may appear in logs (contract: Observability). Printing is the delivery, so it
 * comes after the commit: a message whose commit failed is never printed.
 */
function print(logger: Logger, m: OutgoingMessage): void {
  logger.log(`${m.channel} to ${m.to} [${m.templateKey}/${m.locale}]${m.subject ? ` "${m.subject}"` : ''}\n${m.text}`);
}

export class ConsoleEmailSender extends EmailSender {
  private readonly logger = new Logger('ConsoleMail');
  async send(m: OutgoingMessage, commit: CommitPoint): Promise<void> {
    await commit();
    print(this.logger, m);
  }
}

export class ConsoleSmsSender extends SmsSender {
  private readonly logger = new Logger('ConsoleSms');
  async send(m: OutgoingMessage, commit: CommitPoint): Promise<void> {
    await commit();
    print(this.logger, m);
  }
}
