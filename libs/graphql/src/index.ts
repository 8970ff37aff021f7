export { GatehouseGraphqlModule } from './graphql.module';
export { ErrorCode, assertUnreachable } from './errors/error-code';
export { AppException, ApiException } from './errors/app.exception';
export type { ErrorExtensions } from './errors/app.exception';
export { messageFor, localeFromAcceptLanguage } from './errors/messages';
export type { Locale } from './errors/messages';
export { resolveLocale, toGraphQLError } from './errors/graphql-exception.filter';
export type { Principal, GatehouseRequest, GraphqlContext } from './request-context';
export { requestLoader } from './request-loader';
