import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret-cipher';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode } from './recovery-code';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretCipher (TOTP secrets at rest)', () => {
  const secret = randomBytes(20);
  const account = '7d1a4a9e-3c1b-4f7e-9a55-0a1b2c3d4e5f';

  it('seals to a ciphertext that does not contain the secret, under the current key id', () => {
    const k = key('k1');
    const sealed = new SecretCipher(k, [k]).seal(secret, account);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.includes(secret)).toBe(false);
    expect(sealed.ciphertext.length).toBe(12 + 16 + secret.length);
    expect(new SecretCipher(k, [k]).open(sealed, account).equals(secret)).toBe(true);
  });

  it('opens with an old key after rotation, and new secrets go under the new key', () => {
    const old = key('old');
    const sealed = new SecretCipher(old, [old]).seal(secret, account);
    const fresh = key('new');
    const rotated = new SecretCipher(fresh, [fresh, old]);
    expect(rotated.open(sealed, account).equals(secret)).toBe(true);
    expect(rotated.seal(secret, account).keyId).toBe('new');
  });

  it('fails with a wrong key, an unknown key id, another account, or a flipped bit', () => {
    const k = key('k1');
    const sealed = new SecretCipher(k, [k]).seal(secret, account);
    const impostor = { id: 'k1', key: randomBytes(32) };
    expect(() => new SecretCipher(impostor, [impostor]).open(sealed, account)).toThrow();
    const other = key('k2');
    expect(() => new SecretCipher(other, [other]).open(sealed, account)).toThrow();
    expect(() => new SecretCipher(k, [k]).open(sealed, 'another-account')).toThrow();
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1] ^= 1;
    expect(() => new SecretCipher(k, [k]).open({ ...sealed, ciphertext: tampered }, account)).toThrow();
  });
});

describe('recovery codes', () => {
  it('are xxxx-xxxx-xx of 50 random bits, unique, and normalize back', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    expect(new Set(codes).size).toBe(200);
    for (const c of codes) {
      expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{2}$/);
      expect(normalizeRecoveryCode(` ${c.toUpperCase()} `)).toBe(c.replace(/-/g, ''));
    }
    expect(normalizeRecoveryCode('123456')).toBeNull();
    expect(normalizeRecoveryCode('abcd-efgh-u!')).toBeNull();
  });

  it('hash with a key and the account: same code, other account or key, other hash', () => {
    const h = hashRecoveryCode('k', 'a1', 'abcdefghjk');
    expect(hashRecoveryCode('k', 'a1', 'abcdefghjk').equals(h)).toBe(true);
    expect(hashRecoveryCode('k', 'a2', 'abcdefghjk').equals(h)).toBe(false);
    expect(hashRecoveryCode('k2', 'a1', 'abcdefghjk').equals(h)).toBe(false);
  });
});
