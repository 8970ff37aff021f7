import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { GqlArgumentsHost, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AppException, ErrorExtensions, ErrorCode, Locale } from '@app/core';
import { isConnectionError } from '@app/database';
import { localeFromAcceptLanguage, messageFor } from './messages';
import type { Response } from 'express';
import type { GatehouseRequest, GraphqlContext } from '../request-context';

/**
 * The one error path (STYLE: Errors). Every exception that leaves a resolver or guard
 * becomes a GraphQL error with the contract's `extensions.code` and a localized message;
 * anything unknown becomes a generic internal error, logged here and never shown.
 */
@Catch()
export class GraphqlExceptionFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  constructor(private readonly defaultLocale: Locale) {}

  private answerRefusedBody(exception: unknown, host: ArgumentsHost): GraphQLError | null {
    const refused = refusedBody(exception, host);
    if (!refused) return null;
    const locale = resolveLocale(refused.req, this.defaultLocale);
    const message =
      refused.status === 413
        ? { en: 'The request body is too large.', vi: 'Nội dung yêu cầu quá lớn.' }[locale]
        : { en: 'The request body is not valid JSON.', vi: 'Nội dung yêu cầu không phải JSON hợp lệ.' }[locale];
    this.logger.warn(`refused request body (HTTP ${refused.status}): ${(exception as Error).message}`);
    const error = new GatehouseGraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
    refused.res.status(refused.status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    return error;
  }

  catch(exception: unknown, host: ArgumentsHost): GraphQLError {
    if (host.getType<string>() === 'http') {
      const answered = this.answerRefusedBody(exception, host);
      if (answered) return answered;
      // Other HTTP refusals (an unknown path): the client's mistake, not ours: a warn line, no stack.
      if (exception instanceof HttpException && exception.getStatus() < 500) {
        this.logger.warn(`HTTP ${exception.getStatus()}: ${exception.message}`);
        return new GraphQLError(exception.message);
      }
    }
    const req = host.getType<string>() === 'graphql' ? GqlArgumentsHost.create(host).getContext<GraphqlContext | undefined>()?.req : undefined;
    const locale = resolveLocale(req, this.defaultLocale);
    return toGraphQLError(exception, locale, this.logger);
  }
}

/**
 * A /graphql body that never became a GraphQL request (malformed JSON, over the size limit): answered
 * like every other error, `{ errors: [{ message, extensions: { code } }] }` with its HTTP status, and
 * logged at warn without a stack (an anonymous flood must not fill the error log).
 */
function refusedBody(exception: unknown, host: ArgumentsHost): { status: number; res: Response; req: GatehouseRequest } | null {
  if (!(exception instanceof HttpException)) return null;
  const status = exception.getStatus();
  if (status !== 400 && status !== 413) return null;
  const http = host.switchToHttp();
  const req = http.getRequest<GatehouseRequest>();
  const res = http.getResponse<Response>();
  if (!req?.path?.startsWith('/graphql') || res.headersSent) return null;
  return { status, res, req };
}

export function resolveLocale(req: GatehouseRequest | undefined, fallback: Locale): Locale {
  return req?.user?.locale ?? req?.locale ?? localeFromAcceptLanguage(req?.headers?.['accept-language']) ?? fallback;
}

/** An error made by the one error path: its code and message are the contract's (formatError trusts this class only). */
export class GatehouseGraphQLError extends GraphQLError {}

export function toGraphQLError(exception: unknown, locale: Locale, logger: Logger): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  let code: ErrorCode;
  let details: ErrorExtensions = {};
  if (exception instanceof AppException) {
    code = exception.code;
    details = exception.details;
  } else if (isConnectionError(exception)) {
    code = ErrorCode.SERVICE_UNAVAILABLE;
    logger.warn(`database unavailable: ${(exception as Error).message}`);
  } else if (exception instanceof HttpException && exception.getStatus() === 429) {
    code = ErrorCode.RATE_LIMITED;
  } else {
    code = ErrorCode.INTERNAL_SERVER_ERROR;
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  }
  const { reason, ...extensions } = details;
  // A FORBIDDEN's reason is part of the contract (sign_in_with_code_off, second_factor_setup_required); other reasons only pick a message.
  const shown = code === ErrorCode.FORBIDDEN && reason ? { ...extensions, reason } : extensions;
  return new GatehouseGraphQLError(messageFor(code, locale, details), { extensions: { ...shown, code } });
}
