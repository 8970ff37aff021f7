import { createHmac } from 'node:crypto';
import { prehashPassword } from './password-prehash';

describe('prehashPassword', () => {
  it('is deterministic and always 44 base64 characters', () => {
    for (const password of ['', 'a', 'correct horse battery staple', 'x'.repeat(1024), '😀'.repeat(300)]) {
      const hashed = prehashPassword(password);
      expect(hashed).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(prehashPassword(password)).toBe(hashed);
    }
  });

  it('follows the documented scheme v1 (stored hashes depend on it never changing)', () => {
    const expected = createHmac('sha256', 'gatehouse/password/v1').update('hunter2hunter2', 'utf8').digest('base64');
    expect(prehashPassword('hunter2hunter2')).toBe(expected);
  });

  it('keeps bytes beyond the 72nd significant: 100-char passwords sharing 80 bytes differ', () => {
    const prefix = 'p'.repeat(80);
    const first = `${prefix}${'a'.repeat(20)}`;
    const second = `${prefix}${'a'.repeat(19)}b`;
    expect(Buffer.byteLength(first)).toBe(100);
    expect(prehashPassword(first)).not.toBe(prehashPassword(second));
  });

  it('keeps multi-byte passwords distinct past 72 bytes (Vietnamese, emoji)', () => {
    const vietnamese = 'mậtkhẩucủatôirấtdàivàkhóđoán'.repeat(3); // well over 72 UTF-8 bytes
    expect(Buffer.byteLength(vietnamese)).toBeGreaterThan(72);
    expect(prehashPassword(`${vietnamese}1`)).not.toBe(prehashPassword(`${vietnamese}2`));
    const emoji = '😀'.repeat(20); // 80 bytes
    expect(prehashPassword(`${emoji}🔒`)).not.toBe(prehashPassword(`${emoji}🔑`));
  });

  it('hashes composed and decomposed Vietnamese the same (NFC)', () => {
    const composed = 'Nguyễn Thị Ngọc Ánh';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(prehashPassword(decomposed)).toBe(prehashPassword(composed));
  });

  it('keeps compatibility characters distinct (NFC, not NFKC)', () => {
    expect(prehashPassword('ｐａｓｓｗｏｒｄ')).not.toBe(prehashPassword('password'));
  });

  it('is case-sensitive and whitespace-sensitive', () => {
    expect(prehashPassword('Secret-Pass')).not.toBe(prehashPassword('secret-pass'));
    expect(prehashPassword('secret pass ')).not.toBe(prehashPassword('secret pass'));
  });

  it('never contains a NUL byte, so no bcrypt binding can stop early', () => {
    for (let i = 0; i < 200; i += 1) expect(prehashPassword(`password-${i}`)).not.toContain('\u0000');
  });
});
