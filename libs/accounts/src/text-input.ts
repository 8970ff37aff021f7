import { AccountErrorCode, AccountException } from './accounts.exception';

// Control, format (zero-width, bidi) and unassigned characters have no place in names.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

/** NFKC + trim for free-text fields; empty becomes null; control characters are refused. */
export function cleanText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const v = value.normalize('NFKC').trim();
  if (FORBIDDEN.test(v)) throw new AccountException(AccountErrorCode.INVALID_INPUT, { field, reason: 'invalid_characters' });
  if ([...v].length > max) throw new AccountException(AccountErrorCode.INVALID_INPUT, { field, reason: 'too_long' });
  return v === '' ? null : v;
}

export function cleanTimezone(value: string | null | undefined, field = 'timezone'): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  try {
    if (!v || v.length > 64) throw new Error('invalid');
    // Validated by ICU, stored as the person wrote it (ICU would turn Asia/Ho_Chi_Minh into Asia/Saigon).
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    throw new AccountException(AccountErrorCode.INVALID_INPUT, { field, reason: 'invalid_format' });
  }
}
