import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import type { Channel, Locale } from '@app/core';
import { markQueued } from './outbox-commit-hook';
import { LEASE_MS } from './outbox-delivery';
import { findTemplates, TemplateRow } from './notification-templates.repository';
import { ClaimedRow, insertLeasedMessageWith, insertMessage, MessageValues } from './outbox-messages.repository';
import { OutboxDispatcher } from './outbox-dispatcher';
import { TemplateRenderer, TemplateVariables } from './template-renderer';

export interface MessageRequest {
  channel: Channel;
  destination: string;
  templateKey: string;
  locale: Locale;
  variables: TemplateVariables;
  accountId?: string | null;
  /** Code messages: the challenge, and when its code stops being worth sending. */
  challengeId?: string | null;
  expiresAt?: Date | null;
}

/**
 * How long an instance reuses a template it read. An edit (upsertNotificationTemplate) clears the
 * editing instance's copies at once; other instances pick it up within this time.
 */
export const TEMPLATE_CACHE_MS = 10_000;

/**
 * The transactional outbox (contract: Delivery): a message is rendered from the database
 * templates and written with the same EntityManager, so it commits or rolls back together
 * with the challenge or change it reports. The dispatcher sends it as soon as that transaction
 * commits (it watches commits of transactions that queued), or at once outside a transaction.
 */
@Injectable()
export class OutboxService {
  private readonly renderer = new TemplateRenderer();
  private readonly templates = new Map<string, { at: number; row: TemplateRow }>();

  constructor(
    private readonly config: AppConfig,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  async enqueue(manager: EntityManager, m: MessageRequest): Promise<void> {
    await insertMessage(manager, valuesOf(m, await this.render(manager, m)));
    markQueued<ClaimedRow>(manager.queryRunner, (queued) => this.dispatcher.afterCommit(queued));
  }

  /**
   * The caller's write and its message in one statement (issue 21: a code request is one round trip
   * and one commit). `parent` is the caller's own CTEs (its tables only), the last of which, `from`,
   * returns one row; the message row is appended as one more CTE, written already leased to this
   * instance (SENDING, attempt 1, LEASE_MS), and handed to the dispatcher when the statement's
   * transaction commits: no claim on the hot path. Should this instance die first, the lease runs out
   * and any instance's sweep sends it, as for a row it had claimed. With `send: false` (a decoy) the
   * message is rendered all the same and the statement is the same one, but no row is written.
   * Returns the `from` row.
   */
  async enqueueWith<T>(manager: EntityManager, parent: { ctes: string; params: unknown[]; from: string }, m: MessageRequest, send: boolean): Promise<T> {
    const rendered = await this.render(manager, m);
    const { subject, html, text } = rendered;
    const leaseUntil = new Date(Date.now() + LEASE_MS);
    const row = await insertLeasedMessageWith<T>(manager, parent, valuesOf(m, rendered), leaseUntil, send);
    if (!row) return row as T;
    const { outbox_id: id, outbox_created_at: createdAt, ...rest } = row;
    if (id !== null && createdAt !== null) {
      const leased: ClaimedRow = {
        id,
        channel: m.channel,
        destination: m.destination,
        subject,
        body_html: html,
        body_text: text,
        template_key: m.templateKey,
        locale: m.locale,
        expires_at: m.expiresAt ?? null,
        created_at: createdAt,
        attempts: 1,
      };
      markQueued(manager.queryRunner, (queued) => this.dispatcher.afterCommit(queued), [leased]);
    }
    return rest as T;
  }

  /** Renders without queueing (decoys do the same work as real sends, so their timing matches). */
  async render(manager: EntityManager, m: MessageRequest): Promise<{ subject: string | null; html: string | null; text: string }> {
    const template = await this.template(manager, m.templateKey, m.channel, m.locale);
    const vars = { appName: this.config.appName, ...m.variables };
    const subject = template.subject ? this.renderer.renderText(template.subject, vars).slice(0, 300) : null;
    const html = m.channel === 'EMAIL' ? this.renderer.renderHtml(template.body, vars) : null;
    const text =
      m.channel === 'EMAIL'
        ? this.renderer.renderText(template.text_body ?? template.body.replace(/<[^>]+>/g, ''), vars)
        : this.renderer.renderText(template.body, vars);
    return { subject, html, text };
  }

  /** After an edit: the next message reads the templates again. */
  forgetTemplates(): void {
    this.templates.clear();
  }

  private async template(manager: EntityManager, key: string, channel: Channel, locale: Locale): Promise<TemplateRow> {
    const cacheKey = `${key}\u0000${channel}\u0000${locale}`;
    const cached = this.templates.get(cacheKey);
    if (cached && Date.now() - cached.at < TEMPLATE_CACHE_MS) return cached.row;
    const rows = await findTemplates(manager, key, channel, locale);
    const found = rows.find((r) => r.locale === locale) ?? rows[0];
    if (!found) throw new Error(`notification template missing: ${key}/${channel}/${locale}`);
    const row: TemplateRow = { subject: found.subject, body: found.body, text_body: found.text_body };
    this.templates.set(cacheKey, { at: Date.now(), row });
    return row;
  }
}

/** A message's row values, in the order the outbox repository writes them. */
function valuesOf(m: MessageRequest, r: { subject: string | null; html: string | null; text: string }): MessageValues {
  return [m.accountId ?? null, m.challengeId ?? null, m.channel, m.destination, m.templateKey, m.locale, r.subject, r.html, r.text, m.expiresAt ?? null];
}
