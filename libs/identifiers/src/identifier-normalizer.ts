// Normalization of sign-in identifiers (contract: "Identifiers"). Lookups, uniqueness and
// rate-limit keys all use the value returned here, so two spellings of one identifier must reach
// the same string and anything ambiguous must be refused rather than guessed at.
// Pure module: no Nest imports (unit-tested by Jest, which cannot load Nest's ESM packages).
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type IdentifierKind = 'USERNAME' | 'EMAIL' | 'PHONE';
export type NormalizeFailure = 'empty' | 'too_long' | 'invalid_characters' | 'invalid_format' | 'looks_like_email' | 'looks_like_phone' | 'quoted_local_part';
export type NormalizeResult = { ok: true; value: string } | { ok: false; reason: NormalizeFailure };

/** Cheap guard applied to the raw input before NFKC or any regex runs on it. */
export const IDENTIFIER_INPUT_HARD_LIMIT = 1024;
/** @public the limits table; the username pattern below spells 3 out. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const EMAIL_MAX_LENGTH = 254; // RFC 5321 forward-path limit
export const EMAIL_LOCAL_MAX_LENGTH = 64;
export const PHONE_INPUT_MAX_LENGTH = 32;

const fail = (reason: NormalizeFailure): NormalizeResult => ({ ok: false, reason });

// Trim with the Unicode White_Space property rather than String.prototype.trim: JS trim also
// strips U+FEFF, which would let a zero-width character slip through when it sits at an edge.
const EDGE_WHITESPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
// Cc (controls), Cf (format: zero-width U+200B–U+200D, U+2060, U+FEFF, bidi overrides and
// isolates, soft hyphen) and Cs (unpaired surrogates, which could not be stored as UTF-8 anyway).
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/** NFKC, then trim, then refuse invisible characters: the common first step of every kind. */
function prepare(raw: string): NormalizeResult {
  if (raw.length > IDENTIFIER_INPUT_HARD_LIMIT) return fail('too_long');
  const value = raw.normalize('NFKC').replace(EDGE_WHITESPACE, '');
  if (value.length === 0) return fail('empty');
  if (FORBIDDEN_CHARACTERS.test(value)) return fail('invalid_characters');
  return { ok: true, value };
}

const codePointLength = (value: string): number => [...value].length;

/**
 * Phone-shaped: only digits and phone punctuation with at least 7 digits, or digits only.
 * Shared by username validation and sign-in detection so a string refused as a username for its
 * shape is always routed to the phone strategy.
 */
function isPhoneShaped(value: string): boolean {
  if (/^\d+$/.test(value)) return true;
  if (!/^[\d+\-(). ]+$/.test(value)) return false;
  return (value.match(/\d/g) ?? []).length >= 7;
}

export function normalizeUsername(raw: string): NormalizeResult {
  const prepared = prepare(raw);
  if (!prepared.ok) return prepared;
  const value = prepared.value.toLowerCase();
  // Shape checks come before the character set: '@' and '+' are not allowed anyway, but telling
  // the person "this looks like an email" explains why better than "invalid format".
  if (value.includes('@')) return fail('looks_like_email');
  if (isPhoneShaped(value)) return fail('looks_like_phone');
  if (codePointLength(value) > USERNAME_MAX_LENGTH) return fail('too_long');
  if (!/^[a-z0-9._-]{3,32}$/.test(value)) return fail('invalid_format');
  return { ok: true, value };
}

// RFC 5322 dot-atom text; quoted strings, comments and address literals are refused.
const LOCAL_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A top-level domain is alphabetic or an IDN A-label; an all-numeric one would be an IP address.
const TOP_LEVEL_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function normalizeEmail(raw: string): NormalizeResult {
  const prepared = prepare(raw);
  if (!prepared.ok) return prepared;
  const value = prepared.value.toLowerCase();
  if (codePointLength(value) > EMAIL_MAX_LENGTH) return fail('too_long');

  const at = value.lastIndexOf('@');
  // Quoted local parts ("john doe"@x, "a@b"@x) are legal but let two strings name one mailbox
  // and smuggle spaces or '@' into it; they get their own reason so the message can say so.
  if (at > 0 && value.slice(0, at).includes('"')) return fail('quoted_local_part');
  if (at <= 0 || value.indexOf('@') !== at) return fail('invalid_format');

  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > EMAIL_LOCAL_MAX_LENGTH) return fail('too_long');
  // Splitting on '.' and requiring every piece to be a non-empty atom rules out leading,
  // trailing and consecutive dots, spaces and every non-ASCII character in one pass.
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom))) return fail('invalid_format');

  // Internationalized domains must arrive as punycode (xn--): accepting Unicode labels would
  // need IDNA mapping to keep one mailbox one key, and invites look-alike domains.
  const labels = domain.split('.');
  if (labels.length < 2) return fail('invalid_format');
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return fail('invalid_format');
  if (!TOP_LEVEL_LABEL.test(labels[labels.length - 1])) return fail('invalid_format');
  return { ok: true, value };
}

// Phone input may hold digits, one leading '+' (possibly inside brackets: "(+84) 90…") and the
// usual separators. Letters are refused outright: libphonenumber would otherwise read vanity
// numbers and "ext." suffixes, so two different inputs could reach one stored value.
const PHONE_ALLOWED = /^[\d+\-(). ]+$/;
const PHONE_SEPARATORS = /[-(). ]/g;

export function normalizePhone(raw: string, defaultRegion: string): NormalizeResult {
  const prepared = prepare(raw);
  if (!prepared.ok) return prepared;
  const value = prepared.value;
  if (value.length > PHONE_INPUT_MAX_LENGTH) return fail('too_long');
  if (!PHONE_ALLOWED.test(value)) return fail('invalid_format');

  let compact = value.replace(PHONE_SEPARATORS, '');
  if (!/^\+?\d+$/.test(compact)) return fail('invalid_format');
  // '00' is the international prefix in most of the world (Vietnam included) but libphonenumber
  // only strips the prefix of the default region, so it is rewritten to '+' explicitly.
  if (compact.startsWith('00')) compact = `+${compact.slice(2)}`;

  const region = defaultRegion.toUpperCase();
  const parsed = isSupportedCountry(region) ? parsePhoneNumberFromString(compact, region) : parsePhoneNumberFromString(compact);
  if (!parsed || !parsed.isValid()) return fail('invalid_format');
  return { ok: true, value: parsed.number };
}

export function normalizeIdentifier(kind: IdentifierKind, raw: string, defaultRegion: string): NormalizeResult {
  switch (kind) {
    case 'USERNAME':
      return normalizeUsername(raw);
    case 'EMAIL':
      return normalizeEmail(raw);
    case 'PHONE':
      return normalizePhone(raw, defaultRegion);
  }
}

/** Sign-in type detection: contains '@' → EMAIL; phone-shaped → PHONE; else USERNAME (after NFKC + trim). */
export function detectIdentifierKind(raw: string): IdentifierKind {
  // Oversized input is refused by every normalizer anyway; do not spend NFKC on it.
  if (raw.length > IDENTIFIER_INPUT_HARD_LIMIT) return 'USERNAME';
  const value = raw.normalize('NFKC').replace(EDGE_WHITESPACE, '');
  if (value.includes('@')) return 'EMAIL';
  if (isPhoneShaped(value)) return 'PHONE';
  return 'USERNAME';
}

/**
 * 'john.doe@example.com' → 'j***@example.com'. The star count is fixed so the mask does not
 * reveal the length of the local part.
 */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return '***';
  const first = String.fromCodePoint(value.codePointAt(0) as number);
  return `${first}***${value.slice(at)}`;
}

/**
 * E.164 '+84901234567' → '+8490****567': country code and the next two digits (operator prefix),
 * then a fixed-width mask, then the last three digits.
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const parsed = value.startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
  const countryCode = parsed?.countryCallingCode ?? digits.slice(0, Math.min(2, digits.length));
  const national = digits.slice(countryCode.length);
  // Too short to show both ends without revealing most of the number: show the country code only.
  if (national.length <= 5) return `+${countryCode}****`;
  return `+${countryCode}${national.slice(0, 2)}****${national.slice(-3)}`;
}
