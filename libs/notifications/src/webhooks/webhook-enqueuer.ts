import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { SecurityEventsService } from '@app/security-events';
import { WebhookOutbox } from './webhook-outbox';
import { webhooksFor } from './webhook-types';

/**
 * With WEBHOOK_URL set, every security event that downstream services hear about queues its
 * webhooks in the outbox, inside the event's (the change's) transaction: a rolled-back change
 * sends nothing, a committed one survives outages and crashes.
 */
@Injectable()
export class WebhookEnqueuer implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly events: SecurityEventsService,
    private readonly outbox: WebhookOutbox,
  ) {}

  onModuleInit(): void {
    if (!this.config.webhook.url) return;
    this.events.subscribe(async (manager, event) => {
      for (const hook of webhooksFor(event)) await this.outbox.enqueue(manager, hook);
    });
  }
}
