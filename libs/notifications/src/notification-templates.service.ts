import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiException, Locale, Channel } from '@app/core';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { NotificationTemplateModel, UpsertNotificationTemplateInput } from './notification-template.models';
import { listTemplates, NotificationTemplateRow, upsertTemplate } from './notification-templates.repository';
import { SAMPLE_VARIABLES, TEMPLATE_KEYS } from './templates/default-templates';
import { OutboxService } from './outbox.service';
import { TemplateRenderer } from './template-renderer';

/** Admin view of the database templates; an upsert must compile and render with sample variables. */
@Injectable()
export class NotificationTemplatesService {
  private readonly renderer = new TemplateRenderer();

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly events: SecurityEventsService,
  ) {}

  async list(key?: string | null, locale?: Locale | null): Promise<NotificationTemplateModel[]> {
    const rows = await listTemplates(this.dataSource, key ?? null, locale ?? null);
    return rows.map((r) => this.toModel(r));
  }

  async upsert(input: UpsertNotificationTemplateInput, actorId: string): Promise<NotificationTemplateModel> {
    if (!TEMPLATE_KEYS.includes(input.key)) throw ApiException.badInput('key', 'invalid');
    if (input.channel === Channel.EMAIL && !input.subject) throw ApiException.badInput('subject', 'required');
    this.check('body', input.body, input.channel === Channel.EMAIL ? 'html' : 'text');
    if (input.subject) this.check('subject', input.subject, 'text');
    if (input.textBody) this.check('textBody', input.textBody, 'text');
    const locale = input.locale;
    const row = await this.dataSource.transaction(async (manager) => {
      const written = await upsertTemplate(manager, {
        key: input.key,
        channel: input.channel,
        locale,
        subject: input.subject ?? null,
        body: input.body,
        textBody: input.textBody ?? null,
      });
      await this.events.record(manager, {
        type: SecurityEventType.TEMPLATE_CHANGED,
        accountId: null,
        actorId,
        detail: `${input.key}/${input.channel}/${input.locale}`,
      });
      return written;
    });
    this.outbox.forgetTemplates();
    return this.toModel(row);
  }

  private check(field: string, source: string, mode: 'html' | 'text'): void {
    try {
      this.renderer.validate(source, mode, SAMPLE_VARIABLES);
    } catch {
      throw ApiException.badInput(field, 'invalid');
    }
  }

  private toModel(r: NotificationTemplateRow): NotificationTemplateModel {
    return {
      id: r.id,
      key: r.key,
      channel: r.channel,
      locale: r.locale,
      subject: r.subject,
      body: r.body,
      textBody: r.text_body,
      updatedAt: new Date(r.updated_at),
    };
  }
}
