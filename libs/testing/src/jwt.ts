import { createHmac } from 'node:crypto';

/** Hand-made JWTs for token-forgery tests (HS256 with a known secret, `alg: none`, tampering). */

export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  if (!h || !p) throw new Error(`not a JWT: ${token}`);
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

export function signHs256(payload: Record<string, unknown>, secret: string | Buffer, header: Record<string, unknown> = {}): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...header }));
  const body = base64url(JSON.stringify(payload));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.`;
}

/** Changes one character in the middle of the signature (the last one may only carry padding bits). */
export function tamperSignature(token: string): string {
  const [h, p, s] = token.split('.');
  const i = Math.floor(s.length / 2);
  const swapped = s[i] === 'A' ? 'B' : 'A';
  return `${h}.${p}.${s.slice(0, i)}${swapped}${s.slice(i + 1)}`;
}
