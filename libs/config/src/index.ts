export { ConfigModule } from './config.module';
export { AppConfig } from './app-config';
export { loadConfig, ConfigError, parseDuration } from './config.schema';
export type { AppConfigValues } from './config.schema';
