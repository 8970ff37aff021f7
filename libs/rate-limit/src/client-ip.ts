import { isIPv6 } from 'node:net';

/**
 * The key an IP is counted under: IPv4 as is, IPv6 per /64 (one subscriber usually holds a
 * whole /64, so counting single addresses would be trivial to dodge). Express has already
 * applied TRUST_PROXY when it computed `req.ip`.
 */
export function ipKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
