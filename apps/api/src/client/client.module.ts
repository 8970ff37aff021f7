import { AppConfig } from '@app/config';
import { Logger, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ClientFiles } from './client-files';
import { FaviconController } from './favicon.controller';
import { RootRedirectController } from './root-redirect.controller';
import { clientMissingMiddleware, clientStaticMiddleware } from './client-static.middleware';

/**
 * The client screens (apps/client, built to dist/client) at /app. The API boots without them:
 * `nest build api` alone, or a checkout where the client was never built, only logs a warning.
 */
@Module({ controllers: [RootRedirectController, FaviconController] })
export class ClientModule implements NestModule {
  private readonly logger = new Logger(ClientModule.name);
  private readonly files = new ClientFiles();

  constructor(private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    const routes = [
      { path: 'app', method: RequestMethod.ALL },
      { path: 'app/{*path}', method: RequestMethod.ALL },
    ];
    if (!this.files.available) {
      this.logger.warn(`Client screens not found at ${this.files.root}; /app answers 503 until \`npm run build:client\` has run`);
      consumer.apply(clientMissingMiddleware).forRoutes(...routes);
      return;
    }
    consumer.apply(clientStaticMiddleware(this.files, { returnOrigins: this.config.client.returnOrigins })).forRoutes(...routes);
  }
}
