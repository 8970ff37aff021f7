import type { AppConfigValues } from './config.schema';

/**
 * Injectable, typed view of the configuration. Inject `AppConfig` and read
 * `config.otp.ttlSeconds`; never `process.env`.
 */
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface AppConfig extends AppConfigValues {}
