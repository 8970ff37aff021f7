import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiException, Locale, Channel } from '@app/core';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { NotificationTemplateEntity } from './notification-template.entity';
import { NotificationTemplateModel, UpsertNotificationTemplateInput } from './notification-template.models';
import { SAMPLE_VARIABLES, TEMPLATE_KEYS } from './templates/default-templates';
import { OutboxService } from './outbox.service';
import { TemplateRenderer } from './template-renderer';

/** Admin view of the database templates; an upsert must compile and render with sample variables. */
@Injectable()
export class NotificationTemplatesService {
  private readonly renderer = new TemplateRenderer();

  constructor(
    @InjectRepository(NotificationTemplateEntity) private readonly repo: Repository<NotificationTemplateEntity>,
    private readonly outbox: OutboxService,
    private readonly events: SecurityEventsService,
  ) {}

  async list(key?: string | null, locale?: Locale | null): Promise<NotificationTemplateModel[]> {
    const rows = await this.repo.find({
      where: { ...(key ? { key } : {}), ...(locale ? { locale } : {}) },
      order: { key: 'ASC', channel: 'ASC', locale: 'ASC' },
    });
    return rows.map((r) => this.toModel(r));
  }

  async upsert(input: UpsertNotificationTemplateInput, actorId: string): Promise<NotificationTemplateModel> {
    if (!TEMPLATE_KEYS.includes(input.key)) throw ApiException.badInput('key', 'invalid');
    if (input.channel === Channel.EMAIL && !input.subject) throw ApiException.badInput('subject', 'required');
    this.check('body', input.body, input.channel === Channel.EMAIL ? 'html' : 'text');
    if (input.subject) this.check('subject', input.subject, 'text');
    if (input.textBody) this.check('textBody', input.textBody, 'text');
    await this.repo.manager.transaction(async (manager) => {
      await manager.upsert(
        NotificationTemplateEntity,
        {
          key: input.key,
          channel: input.channel,
          locale: input.locale,
          subject: input.subject ?? null,
          body: input.body,
          textBody: input.textBody ?? null,
          updatedAt: new Date(),
        },
        { conflictPaths: ['key', 'channel', 'locale'] },
      );
      await this.events.record(manager, {
        type: SecurityEventType.TEMPLATE_CHANGED,
        accountId: null,
        actorId,
        detail: `${input.key}/${input.channel}/${input.locale}`,
      });
    });
    this.outbox.forgetTemplates();
    const row = await this.repo.findOneOrFail({ where: { key: input.key, channel: input.channel, locale: input.locale } });
    return this.toModel(row);
  }

  private check(field: string, source: string, mode: 'html' | 'text'): void {
    try {
      this.renderer.validate(source, mode, SAMPLE_VARIABLES);
    } catch {
      throw ApiException.badInput(field, 'invalid');
    }
  }

  private toModel(r: NotificationTemplateEntity): NotificationTemplateModel {
    return {
      id: r.id,
      key: r.key,
      channel: r.channel,
      locale: r.locale,
      subject: r.subject,
      body: r.body,
      textBody: r.textBody,
      updatedAt: r.updatedAt,
    };
  }
}
