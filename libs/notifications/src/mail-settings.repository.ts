import type { DataSource, EntityManager } from 'typeorm';

// The SQL over `mail_settings` (this library owns the table): one row (id 1), the mail's sender.
// Plain functions over the data source or the caller's manager (its transaction).

export interface MailSettingsRow {
  sender_name: string | null;
  sender_address: string;
  reply_to: string | null;
  updated_at: Date | string;
}

/** The first boot's row, from MAIL_FROM; a row already there stays. */
export async function seedMailSettings(db: DataSource, senderName: string, senderAddress: string): Promise<void> {
  await db.query(`INSERT INTO mail_settings (id, sender_name, sender_address) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [senderName, senderAddress]);
}

/** What a mail is sent as (no row: undefined). */
export async function findMailIdentity(db: DataSource): Promise<Omit<MailSettingsRow, 'updated_at'> | undefined> {
  const [row]: Array<{ sender_name: string | null; sender_address: string; reply_to: string | null }> = await db.query(
    `SELECT sender_name, sender_address, reply_to FROM mail_settings WHERE id = 1`,
  );
  return row;
}

export async function findMailSettings(db: DataSource): Promise<MailSettingsRow> {
  const [row]: MailSettingsRow[] = await db.query(`SELECT sender_name, sender_address, reply_to, updated_at FROM mail_settings WHERE id = 1`);
  return row;
}

export async function upsertMailSettings(
  manager: EntityManager,
  fromName: string | null,
  fromAddress: string,
  replyTo: string | null,
): Promise<MailSettingsRow> {
  const [updated]: MailSettingsRow[] = await manager.query(
    `INSERT INTO mail_settings (id, sender_name, sender_address, reply_to, updated_at) VALUES (1, $1, $2, $3, clock_timestamp())
         ON CONFLICT (id) DO UPDATE SET sender_name = EXCLUDED.sender_name, sender_address = EXCLUDED.sender_address,
                                        reply_to = EXCLUDED.reply_to, updated_at = EXCLUDED.updated_at
         RETURNING sender_name, sender_address, reply_to, updated_at`,
    [fromName, fromAddress, replyTo],
  );
  return updated;
}
