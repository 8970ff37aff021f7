export { NotificationsModule } from './notifications.module';
export { OutboxService } from './outbox.service';
export type { MessageRequest, Channel, LocaleCode } from './outbox.service';
export { NoticesService } from './notices.service';
export type { Recipient, AccountAddressBook } from './notices.service';
export { OutboxDispatcher } from './outbox-dispatcher';
export { MailSettingsService } from './mail-settings.service';
export { MailSettingsModel, UpdateMailSettingsInput } from './mail-settings.models';
export { WebhooksModule } from './webhooks/webhooks.module';
