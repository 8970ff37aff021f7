import { codeMatches, hashCode, newChallengeId, newCode } from './otp-code';

describe('otp codes', () => {
  it('makes codes of the configured length with leading zeros kept', () => {
    const codes = Array.from({ length: 2000 }, () => newCode(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
  });

  it('makes long codes too (decoys use 16 digits, beyond randomInt range)', () => {
    const codes = Array.from({ length: 200 }, () => newCode(16));
    expect(codes.every((c) => /^\d{16}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(200);
  });

  it('makes unguessable challenge ids of at least 128 bits', () => {
    const id = newChallengeId();
    expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(new Set(Array.from({ length: 1000 }, newChallengeId)).size).toBe(1000);
  });

  it('binds the hash to the key, the challenge and the code', () => {
    const h = hashCode('k'.repeat(32), 'c1', '123456');
    expect(codeMatches('k'.repeat(32), 'c1', '123456', h)).toBe(true);
    expect(codeMatches('k'.repeat(32), 'c2', '123456', h)).toBe(false);
    expect(codeMatches('x'.repeat(32), 'c1', '123456', h)).toBe(false);
    expect(codeMatches('k'.repeat(32), 'c1', '123457', h)).toBe(false);
    expect(codeMatches('k'.repeat(32), 'c1', '123456', 'zz')).toBe(false);
    expect(h).not.toContain('123456');
  });
});
