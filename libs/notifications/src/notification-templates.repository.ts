import type { Channel, Locale } from '@app/core';
import type { DataSource, EntityManager } from 'typeorm';

// The SQL over `notification_templates` (this library owns the table). Raw SQL for every
// statement on it, the admin's list and upsert included: rendering a message reads it on the
// measured hot paths (a code request), and one table is read or written one way only. Plain
// functions over the caller's manager (its transaction) or the data source.

/** What rendering a message needs of a template. */
export interface TemplateRow {
  subject: string | null;
  body: string;
  text_body: string | null;
}

/** A template as the admin sees it. */
export interface NotificationTemplateRow extends TemplateRow {
  id: string;
  key: string;
  channel: Channel;
  locale: Locale;
  updated_at: Date | string;
}

const COLUMNS = `id, key, channel, locale, subject, body, text_body, updated_at`;

/** The template of `key` on `channel` in `locale`, and in English (the fallback). */
export function findTemplates(manager: EntityManager, key: string, channel: string, locale: string): Promise<Array<TemplateRow & { locale: string }>> {
  return manager.query(`SELECT subject, body, text_body, locale FROM notification_templates WHERE key = $1 AND channel = $2 AND locale IN ($3, 'en')`, [
    key,
    channel,
    locale,
  ]);
}

/** The admin list, optionally of one key and / or locale, by key, channel and locale. */
export function listTemplates(db: DataSource, key: string | null, locale: string | null): Promise<NotificationTemplateRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (key) where.push(`key = $${params.push(key)}`);
  if (locale) where.push(`locale = $${params.push(locale)}`);
  return db.query(
    `SELECT ${COLUMNS} FROM notification_templates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY key ASC, channel ASC, locale ASC`,
    params,
  );
}

/** Writes the template of (key, channel, locale), new or replacing the one there; returns it. */
export async function upsertTemplate(
  manager: EntityManager,
  t: { key: string; channel: string; locale: string; subject: string | null; body: string; textBody: string | null },
): Promise<NotificationTemplateRow> {
  const [row]: NotificationTemplateRow[] = await manager.query(
    `INSERT INTO notification_templates (key, channel, locale, subject, body, text_body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
     ON CONFLICT (key, channel, locale) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, text_body = EXCLUDED.text_body,
                                                      updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}`,
    [t.key, t.channel, t.locale, t.subject, t.body, t.textBody],
  );
  return row;
}
