import 'reflect-metadata';
// First: it must see libuv's thread pool appear (see the module).
import { threadPoolPriority } from './thread-priority';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type AppConfigValues } from '@app/config';
import { RateLimitStore, requestIpMiddleware } from '@app/rate-limit';
import { graphqlIdeMiddleware, graphqlRequestLimitMiddleware } from '@app/graphql';
import { AppModule } from './app.module';

function configOrExit(): AppConfigValues {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Client IP for limits: only trust X-Forwarded-For behind a proxy the operator declares.
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // GraphQL answers are POST responses: an ETag (a SHA-1 of every body) buys nothing.
  app.set('etag', false);
  app.use(requestIpMiddleware);
  // Before Nest's body parser (registered at init): a request counts against the per-IP limit before it is read.
  app.use('/graphql', graphqlRequestLimitMiddleware(app.get(RateLimitStore), config.rateLimit.perIpPerMinute, config.defaultLocale));
  app.use(graphqlIdeMiddleware(config.graphql.playground));
  app.enableShutdownHooks();
  if (process.argv.includes('--emit-schema')) {
    // `npm run schema:generate`: boot once (GRAPHQL_SCHEMA_FILE is written on init), then leave.
    await app.init();
    await app.close();
    return;
  }
  const pool = await threadPoolPriority;
  app
    .get(Logger)
    .log(
      pool.threads
        ? `hashing threads (libuv pool: ${pool.threads}) run at nice ${pool.nice}, below the event loop`
        : 'hashing threads keep their priority (libuv pool already started)',
      'Bootstrap',
    );
  await app.listen(config.http.port, config.http.host);
  app
    .get(Logger)
    .log(`Gatehouse listening on http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}/graphql`, 'Bootstrap');
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
