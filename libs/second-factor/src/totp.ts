import { randomBytes } from 'node:crypto';
import { generateURI, ScureBase32Plugin, verify } from 'otplib';

const base32 = new ScureBase32Plugin();

/** Contract: RFC 6238 with SHA-1, 6 digits, 30 s steps (otplib's defaults, spelled out), ±1 step of drift. */
const PERIOD = 30;
const TOLERANCE_SECONDS = PERIOD;

/** 160 random bits from the CSPRNG (contract: Second factor). */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

export function toBase32(secret: Buffer): string {
  return base32.encode(secret);
}

export function totpUri(issuer: string, label: string, secret: Buffer): string {
  return generateURI({ issuer, label, secret: toBase32(secret), algorithm: 'sha1', digits: 6, period: PERIOD });
}

/**
 * The time step a right code belongs to, or null. Steps at or before `afterStep` (the last one
 * accepted) are refused, so a code (or an older one) is accepted once.
 */
export async function matchTotp(secret: Buffer, code: string, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret: toBase32(secret),
    token: code,
    algorithm: 'sha1',
    digits: 6,
    period: PERIOD,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  // TOTP results carry the matched time step (the HOTP half of otplib's union type does not).
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}
