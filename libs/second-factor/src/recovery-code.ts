import { createHmac, randomBytes } from 'node:crypto';

/** Crockford's base32 alphabet: no i, l, o, u, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 10; // 10 × 5 bits = 50 bits (contract: each ≥ 50 bits)
export const RECOVERY_CODE_COUNT = 10;

/** A fresh recovery code, `xxxx-xxxx-xx`: 50 bits from the CSPRNG. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(LENGTH);
  // 256 is a multiple of 32, so `b % 32` is uniform.
  const raw = [...bytes].map((b) => ALPHABET[b % 32]).join('');
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** What a person typed, as stored: case, spaces and dashes ignored; Crockford's look-alikes mapped. */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  if (s.length !== LENGTH || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return s;
}

/** Keyed hash (HMAC-SHA256) bound to the account: 50 random bits need no slow hash, only a secret key. */
export function hashRecoveryCode(key: string, accountId: string, normalized: string): Buffer {
  return createHmac('sha256', key).update(`recovery:${accountId}:${normalized}`).digest();
}
