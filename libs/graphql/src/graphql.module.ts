import { Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ErrorCode, Locale } from '@app/core';
import { RateLimitStore } from '@app/rate-limit';
import { GqlThrottlerGuard, RateLimitThrottlerStorage } from './throttling';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { noStorePlugin } from './no-store.plugin';
import type { GraphQLFormattedError } from 'graphql';
import { AppConfig } from '@app/config';
import { graphqlMetricsPlugin, MetricsService } from '@app/observability';
import { unwrapResolverError } from '@apollo/server/errors';
import { GatehouseGraphQLError, GraphqlExceptionFilter } from './errors/graphql-exception.filter';
import { messageFor } from './errors/messages';
import { createValidationPipe } from './validation.pipe';
import { StringArgumentLimitPipe } from './string-limit.pipe';
import { documentLimitRules } from './document-limits';
import type { GraphqlContext } from './request-context';
import './shared-enums';

const CONTRACT_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  // Request-level codes Apollo itself answers with (contract: Errors, GRAPHQL_VALIDATION_FAILED row).
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const logger = new Logger('GraphQL');

/** Contract (Abuse limits): documents over 2,000 tokens are refused. */
export const MAX_TOKENS = 2000;

/**
 * Last line of defence: nothing internal (stack, SQL, unknown codes) reaches a client. An error is
 * trusted by its class, never by its text: a GatehouseGraphQLError was made by the one error path
 * (toGraphQLError), and any other error passes only with a request-level code Apollo answers with.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, defaultLocale: Locale): GraphQLFormattedError {
  const given = formatted.extensions?.code;
  const code: string = typeof given === 'string' ? given : ErrorCode.INTERNAL_SERVER_ERROR;
  const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const ours = unwrapResolverError(error) instanceof GatehouseGraphQLError;
  if (!ours && (!CONTRACT_CODES.has(code) || code === (ErrorCode.INTERNAL_SERVER_ERROR as string))) {
    logger.error(`unexpected GraphQL error (${code}): ${formatted.message}`);
    return {
      message: messageFor(ErrorCode.INTERNAL_SERVER_ERROR, defaultLocale),
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  // graphql-js aborts parsing past parseOptions.maxTokens with a syntax error (its text says "more that"); the contract calls a
  // document refused by a limit GRAPHQL_VALIDATION_FAILED (HTTP 400 either way).
  if (code === 'GRAPHQL_PARSE_FAILED' && /contains more (?:than|that) \d+ tokens/.test(formatted.message)) {
    return { ...formatted, extensions: { ...extensions, code: 'GRAPHQL_VALIDATION_FAILED' } };
  }
  return { ...formatted, extensions: { ...extensions, code } };
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RateLimitStore],
      useFactory: (config: AppConfig, store: RateLimitStore) => ({
        throttlers: [{ name: 'ip', ttl: 60_000, limit: config.rateLimit.perIpPerMinute }],
        skipIf: () => config.rateLimit.perIpPerMinute === 0,
        storage: new RateLimitThrottlerStorage(store),
      }),
    }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, MetricsService],
      useFactory: (config: AppConfig, metrics: MetricsService): ApolloDriverConfig => ({
        plugins: [ApolloServerPluginCacheControlDisabled(), noStorePlugin(), graphqlMetricsPlugin(metrics)],
        path: '/graphql',
        autoSchemaFile: config.graphql.schemaFile ?? true,
        sortSchema: true,
        // The IDE is served by graphqlIdeMiddleware from local files (Nest's GraphiQL loads from a CDN).
        graphiql: false,
        introspection: config.graphql.playground,
        csrfPrevention: true,
        allowBatchedHttpRequests: false,
        includeStacktraceInErrorResponses: false,
        autoTransformHttpErrors: false,
        // Field resolvers (an account's identifiers, profile…) get the exception filter (one error
        // path) but neither guards nor interceptors: they are reached only through a root field whose
        // guards already ran, and running the global guards (the IP throttler) again on every field of
        // every node cost ~5 % of the CPU of an admin page of 20 accounts (issue 8).
        fieldResolverEnhancers: ['filters'],
        context: ({ req, res }: GraphqlContext): GraphqlContext => ({ req, res }),
        validationRules: documentLimitRules(),
        formatError: (formatted, error) => formatError(formatted, error, config.defaultLocale),
        // With the IDE off, "Did you mean …?" would leak the schema that introspection hides.
        hideSchemaDetailsFromClientErrors: !config.graphql.playground,
        // Contract (Abuse limits): a document over 2,000 tokens is refused before it is parsed further.
        parseOptions: { maxTokens: MAX_TOKENS },
        buildSchemaOptions: { dateScalarMode: 'isoDate' },
      }),
    }),
  ],
  providers: [
    { provide: APP_FILTER, inject: [AppConfig], useFactory: (config: AppConfig) => new GraphqlExceptionFilter(config.defaultLocale) },
    { provide: APP_PIPE, useClass: StringArgumentLimitPipe },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_GUARD, useClass: GqlThrottlerGuard },
  ],
})
export class GatehouseGraphqlModule {}
