import { EntityManager } from 'typeorm';
import { timezoneOf } from '@app/accounts';

/**
 * `scheduledFor` of the deletion notices: `2026-01-31 17:45 (Asia/Ho_Chi_Minh)` in the
 * account's time zone. Digits joined by `-` and `:` on purpose: never mistaken for a code.
 */
export async function formatScheduledFor(manager: EntityManager, accountId: string, at: Date): Promise<string> {
  const timeZone = (await timezoneOf(accountId, manager)) || 'UTC';
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
    const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
    return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} (${timeZone})`;
  } catch {
    return `${at.toISOString().slice(0, 16).replace('T', ' ')} (UTC)`;
  }
}
