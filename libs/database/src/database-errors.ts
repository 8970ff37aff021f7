/** PostgreSQL (and Redis) error classification, shared by services (unique races) and the error filter (outages). */
export function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (pgCode(err) !== '23505') return false;
  if (!constraint) return true;
  const e = err as { constraint?: string; driverError?: { constraint?: string }; message?: string };
  const name = e.driverError?.constraint ?? e.constraint ?? '';
  return name === constraint || (e.message ?? '').includes(constraint);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

export function isConnectionError(err: unknown): boolean {
  const code = pgCode(err);
  if (code && CONNECTION_CODES.has(code)) return true;
  const raw = (err as { message?: unknown })?.message;
  const message = typeof raw === 'string' ? raw : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|Query read timeout|Stream isn't writeable|Connection is closed|Command timed out|max retries per request/i.test(
    message,
  );
}
