import { Module } from '@nestjs/common';
import { NotificationTemplatesResolver } from './notification-templates.resolver';
import { NotificationTemplatesService } from './notification-templates.service';
import { AppConfig } from '@app/config';
import { MailSettingsService } from './mail-settings.service';
import { NoticesService } from './notices.service';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxService } from './outbox.service';
import { ConsoleEmailSender, ConsoleSmsSender } from './senders/console.sender';
import { EmailSender, NoWebhookSender, SmsSender, WebhookSender } from './senders/message-sender';
import { StandardWebhookSender } from './senders/standard-webhook.sender';
import { WebhooksModule } from './webhooks/webhooks.module';
import { SmtpEmailSender } from './senders/smtp-email.sender';
import { WebhookSmsSender } from './senders/webhook-sms.sender';

@Module({
  imports: [WebhooksModule],
  providers: [
    NotificationTemplatesService,
    NotificationTemplatesResolver,
    OutboxService,
    NoticesService,
    OutboxDispatcher,
    MailSettingsService,
    {
      provide: WebhookSender,
      inject: [AppConfig],
      useFactory: (config: AppConfig): WebhookSender =>
        config.webhook.url && config.webhook.secret ? new StandardWebhookSender(config.webhook.url, config.webhook.secret) : new NoWebhookSender(),
    },
    {
      provide: EmailSender,
      inject: [AppConfig, MailSettingsService],
      useFactory: (config: AppConfig, mail: MailSettingsService): EmailSender =>
        config.mail.smtpUrl ? new SmtpEmailSender(config.mail.smtpUrl, () => mail.identity()) : new ConsoleEmailSender(),
    },
    {
      provide: SmsSender,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SmsSender => (config.sms.webhookUrl ? new WebhookSmsSender(config.sms.webhookUrl) : new ConsoleSmsSender()),
    },
  ],
  exports: [OutboxService, NoticesService, OutboxDispatcher, MailSettingsService],
})
export class NotificationsModule {}
