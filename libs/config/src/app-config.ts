import type { AppConfigValues } from './config.schema';

/**
 * Injectable, typed view of the configuration. Inject `AppConfig` and read
 * `config.otp.ttlSeconds`; never `process.env`.
 */
// The class is the injection token, the interface its shape: merging them is the point here.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends AppConfigValues {}
