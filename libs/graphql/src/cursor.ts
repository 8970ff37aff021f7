import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiException } from '@app/core';

/**
 * Opaque, tamper-evident keyset cursors (contract: Administration): base64url of the sort key
 * with an HMAC; a cursor the service did not issue is BAD_USER_INPUT (field `after`).
 */
export class CursorCodec {
  constructor(private readonly key: string) {}

  encode(parts: string[]): string {
    const body = Buffer.from(JSON.stringify(parts)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, expectedParts: number): string[] {
    const [body, mac] = cursor.split('.');
    const bad = () => ApiException.badInput('after', 'cursor');
    if (!body || !mac || mac.length !== 43) throw bad();
    const expected = Buffer.from(this.sign(body));
    if (!timingSafeEqual(expected, Buffer.from(mac))) throw bad();
    let parts: unknown;
    try {
      parts = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw bad();
    }
    if (!Array.isArray(parts) || parts.length !== expectedParts || !parts.every((p) => typeof p === 'string')) throw bad();
    return parts;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`cursor:${body}`).digest('base64url');
  }
}
