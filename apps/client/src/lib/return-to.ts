/**
 * `?return_to=` (contract README, Configuration: CLIENT_RETURN_ORIGINS). Only an absolute
 * http(s) URL whose origin the server lists in /app/config.json is followed; a relative or
 * protocol-relative value (//evil.example), another scheme (javascript:) or an unlisted origin is
 * ignored. Nothing is added to the URL: the token never leaves this origin.
 */
export async function allowedReturnTo(raw: string | null): Promise<string | null> {
  if (!raw) return null;
  let url: URL;
  try {
    // No base: a relative or //host value throws here.
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !/^https?:\/\/[^/]/i.test(raw)) return null;
  try {
    const res = await fetch('/app/config.json', { credentials: 'omit', cache: 'no-cache' });
    const config = (await res.json()) as { returnOrigins?: unknown };
    const origins = Array.isArray(config.returnOrigins) ? config.returnOrigins : [];
    return origins.includes(url.origin) ? url.href : null;
  } catch {
    return null;
  }
}
