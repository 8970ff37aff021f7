import { Module } from '@nestjs/common';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { WebhookOutbox } from './webhook-outbox';

/**
 * Security events → webhooks in the outbox (needs SecurityEventsModule, which is global). Part
 * of NotificationsModule in the service; imported alone by the standalone jobs.
 */
@Module({ providers: [WebhookOutbox, WebhookEnqueuer] })
export class WebhooksModule {}
