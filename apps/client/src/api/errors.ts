/**
 * Every `extensions.code` of the contract (README, Errors) plus the transport-level ones this
 * client can meet. Each has a text in every dictionary (i18n/en.ts types them), so a code the
 * contract adds fails the type check here first.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'IDENTIFIER_NOT_VERIFIED',
  'ACCOUNT_DISABLED',
  'ACCOUNT_PENDING_DELETION',
  'IDENTIFIER_TAKEN',
  'PASSWORD_POLICY',
  'OTP_INVALID',
  'OTP_EXPIRED',
  'OTP_MAX_ATTEMPTS',
  'OTP_RESEND_COOLDOWN',
  'RATE_LIMITED',
  'LAST_IDENTIFIER',
  'NOT_FOUND',
  'SECOND_FACTOR_REQUIRED',
  'SECOND_FACTOR_ALREADY_ENABLED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  // Client side: the request never got an answer.
  'NETWORK',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorExtensions {
  code: ErrorCode;
  field?: string;
  retryAfterSeconds?: number;
  attemptsRemaining?: number;
  challengeId?: string;
  scheduledFor?: string;
  /** SECOND_FACTOR_REQUIRED: the ticket for completeSignIn and the methods it offers. */
  ticket?: string;
  methods?: string[];
  /** A challenge's masked destination and times, when the error carries them. */
  destination?: string;
  expiresAt?: string;
  resendAvailableAt?: string;
  /** FORBIDDEN's public reason (e.g. second_factor_setup_required). */
  reason?: string;
}

/** One GraphQL error as the client uses it. The server's own message is kept for logs only. */
export class ApiError extends Error {
  constructor(
    public readonly extensions: ErrorExtensions,
    serverMessage: string = extensions.code,
  ) {
    super(serverMessage);
    this.name = 'ApiError';
  }

  get code(): ErrorCode {
    return this.extensions.code;
  }
}

export function toErrorCode(value: unknown): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value as string) ? (value as ErrorCode) : 'INTERNAL_SERVER_ERROR';
}

/** Any thrown value as an ApiError (network failures and bugs included). */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({ code: 'INTERNAL_SERVER_ERROR' }, err instanceof Error ? err.message : String(err));
}
