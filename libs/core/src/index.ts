export { ErrorCode, assertUnreachable } from './error-code';
export { AppException, ApiException } from './app.exception';
export type { ErrorExtensions } from './app.exception';
export { LOCALES, Locale, isLocale } from './locale';
export { CHANNELS, Channel } from './channel';
export { Clock, SystemClock, FixedClock } from './clock';
export { CoreModule } from './core.module';
export { CronRunner } from './cron-runner';
export type { CronRunnerOptions } from './cron-runner';
