import { createHmac, randomBytes } from 'node:crypto';
import { ErrorCode } from '@app/core';
import { CursorCodec } from './cursor';

// Contract README, Administration: cursors are tamper-evident; one the service did not issue
// is BAD_USER_INPUT on `after`. Only the MAC makes that true for a well-formed cursor.
describe('CursorCodec', () => {
  const codec = new CursorCodec('cursor-test-key-0123456789abcdef');
  const parts = ['2026-01-02 03:04:05.678+00', '0b7c2b0e-5a4c-4c0e-9d55-7c1f0f3a2b11'];
  const badCursor = { code: ErrorCode.BAD_USER_INPUT, details: { field: 'after', reason: 'cursor' } };

  it('decodes what it encoded', () => {
    expect(codec.decode(codec.encode(parts), 2)).toEqual(parts);
  });

  it('refuses a well-formed cursor whose MAC is made up', () => {
    const [body, mac] = codec.encode(parts).split('.');
    const madeUp = randomBytes(32).toString('base64url');
    expect(madeUp).toHaveLength(mac.length);
    expect(() => codec.decode(`${body}.${madeUp}`, 2)).toThrow(expect.objectContaining(badCursor));
  });

  it('refuses a made-up sort key with a MAC of the right shape, or signed with another key', () => {
    const body = Buffer.from(JSON.stringify(['2000-01-01 00:00:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    const otherKey = createHmac('sha256', 'another-key-0123456789abcdef0123').update(`cursor:${body}`).digest('base64url');
    for (const mac of ['A'.repeat(43), otherKey]) {
      expect(() => codec.decode(`${body}.${mac}`, 2)).toThrow(expect.objectContaining(badCursor));
    }
  });

  it('refuses a real cursor with one character of its MAC changed', () => {
    const cursor = codec.encode(parts);
    const last = cursor.at(-1) === 'A' ? 'B' : 'A';
    expect(() => codec.decode(`${cursor.slice(0, -1)}${last}`, 2)).toThrow(expect.objectContaining(badCursor));
  });

  it('refuses a MAC of the wrong length as a bad cursor, not a crash (a truncated or padded cursor)', () => {
    const cursor = codec.encode(parts);
    for (const mangled of [cursor.slice(0, -1), `${cursor}A`, `${cursor.split('.')[0]}.`]) {
      expect(() => codec.decode(mangled, 2)).toThrow(expect.objectContaining(badCursor));
    }
  });
});
