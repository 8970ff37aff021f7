/**
 * Minimal GraphQL-over-HTTP client for black-box tests. Every response is also recorded, so a
 * file can check in its afterAll that no error ever leaked internals (`expectNoInternalLeaks`).
 */

export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  locations?: Array<{ line: number; column: number }>;
  extensions?: Record<string, any>;
}

export interface GqlResponse<T = unknown> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
  raw: any;
  /** The body as text (also set when it is not JSON). */
  text: string;
  headers: Headers;
}

export interface GqlOptions {
  token?: string;
  headers?: Record<string, string>;
  operationName?: string;
  /** Abort the request after this many ms (default 60 s); an abort rejects with a TimeoutError. */
  timeoutMs?: number;
}

type Target = string | { graphqlUrl: string };

const recorded: GqlResponse[] = [];

/** Every response this module has seen in the current test file (Jest isolates modules per file). */
export function recordedResponses(): readonly GqlResponse[] {
  return recorded;
}

export async function gql<T = any>(target: Target, query: string, variables?: Record<string, unknown>, opts: GqlOptions = {}): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  Object.assign(headers, opts.headers);
  const body: Record<string, unknown> = { query };
  if (variables !== undefined) body.variables = variables;
  if (opts.operationName !== undefined) body.operationName = opts.operationName;
  return postRaw<T>(target, JSON.stringify(body), headers, opts.timeoutMs);
}

/** POSTs an arbitrary body (batched arrays, malformed JSON, CSRF cases). */
export async function postRaw<T = any>(
  target: Target,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  timeoutMs = 60_000,
): Promise<GqlResponse<T>> {
  const url = typeof target === 'string' ? target : target.graphqlUrl;
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = text;
  }
  const out: GqlResponse<T> = {
    status: res.status,
    data: raw && typeof raw === 'object' && !Array.isArray(raw) ? raw.data : undefined,
    errors: raw && typeof raw === 'object' && !Array.isArray(raw) ? raw.errors : undefined,
    raw,
    text,
    headers: res.headers,
  };
  recorded.push(out);
  return out;
}

function describeResponse(res: GqlResponse): string {
  return `HTTP ${res.status}: ${res.text.length > 4000 ? `${res.text.slice(0, 4000)}…` : res.text}`;
}

/** Asserts exactly one error whose `extensions.code` is `code`; returns it. */
export function expectErrorCode(res: GqlResponse, code: string, field?: string): GraphQLError {
  const errors = res.errors ?? [];
  if (errors.length !== 1 || errors[0].extensions?.code !== code) {
    throw new Error(`expected exactly one error with extensions.code ${code}, got ${describeResponse(res)}`);
  }
  if (field !== undefined && errors[0].extensions?.field !== field) {
    throw new Error(`expected extensions.field "${field}" on the ${code} error, got ${describeResponse(res)}`);
  }
  const data = res.data as Record<string, unknown> | null | undefined;
  if (data && typeof data === 'object' && Object.values(data).some((v) => v !== null)) {
    throw new Error(`expected no data next to the ${code} error, got ${describeResponse(res)}`);
  }
  return errors[0];
}

/** Asserts exactly one error whose code is one of `codes`; returns it. */
export function expectErrorCodeIn(res: GqlResponse, codes: string[]): GraphQLError {
  const errors = res.errors ?? [];
  if (errors.length !== 1 || !codes.includes(errors[0].extensions?.code)) {
    throw new Error(`expected exactly one error with extensions.code in [${codes.join(', ')}], got ${describeResponse(res)}`);
  }
  return errors[0];
}

/** Asserts a successful response and returns its data. */
export function expectOk<T>(res: GqlResponse<T>): T {
  if (res.status !== 200 || (res.errors && res.errors.length > 0) || res.data === undefined || res.data === null) {
    throw new Error(`expected a successful GraphQL response, got ${describeResponse(res)}`);
  }
  return res.data;
}

/** What must never appear in an error a client sees (contract README, Errors). */
const LEAK_PATTERNS: RegExp[] = [
  /\bat (?:async )?[\w$.<>[\] ]+ \(/, // stack frame "at fn (file:line)"
  /\bat (?:\/|file:|node:)/, // stack frame without a function name
  /\bat Object\./,
  /QueryFailedError|EntityNotFound|TypeORM|typeorm/i,
  /\bpglite\b|node_modules|\/dist\/|\.js:\d+/i,
  /\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"]*\b(?:FROM|VALUES|SET|WHERE)\b/,
  /duplicate key value|violates (?:unique|foreign key|check|not-null) constraint|relation "[^"]+"/i,
  /\$2[aby]\$\d\d\$/, // a bcrypt hash
];

export interface LeakReport {
  response: string;
  pattern: string;
}

/** Scans errors (default: every response of this file) for stacks, SQL and internals. */
export function findInternalLeaks(responses: readonly GqlResponse[] = recorded): LeakReport[] {
  const leaks: LeakReport[] = [];
  for (const res of responses) {
    const errors = res.errors ?? [];
    const bodies: string[] = errors.map((e) => JSON.stringify(e));
    if (errors.length === 0 && res.status >= 400) bodies.push(res.text);
    for (const body of bodies) {
      for (const pattern of LEAK_PATTERNS) {
        if (pattern.test(body)) leaks.push({ response: body.slice(0, 2000), pattern: String(pattern) });
      }
    }
    for (const e of errors) {
      for (const key of ['stacktrace', 'exception', 'stack', 'originalError', 'query', 'driverError', 'sql']) {
        if (e.extensions && key in e.extensions) {
          leaks.push({ response: JSON.stringify(e).slice(0, 2000), pattern: `extensions.${key}` });
        }
      }
    }
  }
  return leaks;
}

export function expectNoInternalLeaks(responses: readonly GqlResponse[] = recorded): void {
  const leaks = findInternalLeaks(responses);
  if (leaks.length > 0) {
    throw new Error(
      `${leaks.length} error response(s) leak internals:\n${leaks
        .slice(0, 10)
        .map((l) => `  ${l.pattern}: ${l.response}`)
        .join('\n')}`,
    );
  }
}

/** How many responses of this file carried errors (so a leak scan can prove it looked at some). */
export function recordedErrorCount(): number {
  return recorded.reduce((n, r) => n + (r.errors?.length ?? 0), 0);
}
