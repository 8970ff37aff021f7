import { ErrorCode } from './error-code';

/** Extra, client-safe facts carried to `extensions` (contract README, Errors). */
export interface ErrorExtensions {
  field?: string;
  retryAfterSeconds?: number;
  attemptsRemaining?: number;
  challengeId?: string;
  scheduledFor?: string;
  /** SECOND_FACTOR_REQUIRED: the opaque ticket of the second step, and the methods it offers. */
  ticket?: string;
  methods?: string[];
  /** A challenge sent at once: its masked destination and end (ISO). */
  destination?: string;
  expiresAt?: string;
  resendAvailableAt?: string;
  /** Selects a more specific localized message (libs/graphql's messages.ts); never sent to clients. */
  reason?: string;
}

/**
 * The base of every feature exception. Services throw only subclasses of this
 * (one per feature, in `<feature>.exception.ts`); the global filter turns them into
 * GraphQL errors. Anything else that escapes becomes a generic internal error.
 */
export abstract class AppException extends Error {
  protected constructor(
    public readonly code: ErrorCode,
    public readonly details: ErrorExtensions = {},
  ) {
    super(details.reason ? `${code}: ${details.reason}` : code);
    this.name = new.target.name;
  }
}

/** Errors of the API surface itself: input validation, authentication, authorization. */
export class ApiException extends AppException {
  static badInput(field: string, reason = 'invalid'): ApiException {
    return new ApiException(ErrorCode.BAD_USER_INPUT, { field, reason });
  }
  static unauthenticated(): ApiException {
    return new ApiException(ErrorCode.UNAUTHENTICATED);
  }
  static forbidden(): ApiException {
    return new ApiException(ErrorCode.FORBIDDEN);
  }
  static notFound(): ApiException {
    return new ApiException(ErrorCode.NOT_FOUND);
  }
  static rateLimited(retryAfterSeconds: number): ApiException {
    return new ApiException(ErrorCode.RATE_LIMITED, { retryAfterSeconds });
  }
  static serviceUnavailable(): ApiException {
    return new ApiException(ErrorCode.SERVICE_UNAVAILABLE);
  }
  constructor(code: ErrorCode, details: ErrorExtensions = {}) {
    super(code, details);
  }
}
