import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** ≥ 128 random bits, URL-safe: 18 bytes → 24 characters (contract: opaque, unguessable). */
export function newChallengeId(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `length` digits from the CSPRNG, leading zeros kept. Drawn six digits at a time: randomInt
 * only takes ranges below 2^48, and decoys use 16-digit codes nobody ever sees.
 */
export function newCode(length: number): string {
  let code = '';
  while (code.length < length) {
    const n = Math.min(6, length - code.length);
    code += String(randomInt(0, 10 ** n)).padStart(n, '0');
  }
  return code;
}

/** The code is stored only as HMAC-SHA-256 keyed with a server secret, bound to its challenge. */
export function hashCode(key: string, challengeId: string, code: string): string {
  return createHmac('sha256', key).update(`${challengeId}:${code}`).digest('hex');
}

export function codeMatches(key: string, challengeId: string, code: string, storedHash: string): boolean {
  const candidate = Buffer.from(hashCode(key, challengeId, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === candidate.length && timingSafeEqual(candidate, stored);
}

/** A secret nobody will ever type (decoy challenges). */
export function unguessable(): string {
  return randomBytes(16).toString('hex');
}
