import { ApiError, toErrorCode, type ErrorExtensions } from './errors';

/**
 * The one way this app talks to the service: POST /graphql with a JSON body (the service has
 * CSRF prevention on, which a JSON content type satisfies). Accept-Language makes the service's
 * own messages and the codes it sends follow the chosen language.
 */

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message?: string; extensions?: Record<string, unknown> }>;
}

export interface RequestOptions {
  token?: string | null;
  locale: string;
}

export async function graphql<T>(query: string, variables: Record<string, unknown>, opts: RequestOptions): Promise<T> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'accept-language': opts.locale,
  };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;

  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }), credentials: 'omit' });
  } catch {
    throw new ApiError({ code: 'NETWORK' });
  }

  let body: GraphqlResponse<T>;
  try {
    body = (await res.json()) as GraphqlResponse<T>;
  } catch {
    throw new ApiError({ code: res.status === 503 ? 'SERVICE_UNAVAILABLE' : res.status === 400 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' });
  }

  const first = body.errors?.[0];
  if (first) {
    const ext = first.extensions ?? {};
    const extensions: ErrorExtensions = { code: toErrorCode(ext.code) };
    if (typeof ext.field === 'string') extensions.field = ext.field;
    if (typeof ext.retryAfterSeconds === 'number') extensions.retryAfterSeconds = ext.retryAfterSeconds;
    if (typeof ext.attemptsRemaining === 'number') extensions.attemptsRemaining = ext.attemptsRemaining;
    if (typeof ext.challengeId === 'string') extensions.challengeId = ext.challengeId;
    for (const key of ['scheduledFor', 'ticket', 'destination', 'expiresAt', 'resendAvailableAt', 'reason'] as const) {
      if (typeof ext[key] === 'string') extensions[key] = ext[key];
    }
    if (Array.isArray(ext.methods)) extensions.methods = ext.methods.filter((m): m is string => typeof m === 'string');
    throw new ApiError(extensions, first.message);
  }
  if (!res.ok || body.data == null) throw new ApiError({ code: 'INTERNAL_SERVER_ERROR' });
  return body.data;
}
