import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { markQueued } from '../outbox-commit-hook';
import { insertWebhook } from '../outbox-messages.repository';
import type { WebhookRequest } from './webhook-types';

/**
 * Writes webhooks into the outbox (contract: Webhooks), in the change's transaction. No
 * dependency on the dispatcher, so the standalone jobs (`npm run job:deletions`) queue them too:
 * in the service the dispatcher drains right after the commit (outbox-commit-hook), elsewhere
 * the service's next sweep sends them. The body is fixed now (its `timestamp` is the change's);
 * the signature is made per attempt by the sender.
 */
@Injectable()
export class WebhookOutbox {
  async enqueue(manager: EntityManager, hook: WebhookRequest): Promise<void> {
    const body = JSON.stringify({ type: hook.type, timestamp: new Date().toISOString(), data: hook.data });
    await insertWebhook(manager, hook.accountId, hook.type, body);
    markQueued(manager.queryRunner, () => undefined);
  }
}
