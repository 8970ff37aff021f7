import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { loggerParams, ObservabilityModule } from '@app/observability';
import { AccountDeletionModule } from '@app/account-deletion';
import { AccountsModule } from '@app/accounts';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { CoreModule } from '@app/core';
import { DatabaseModule } from '@app/database';
import { GatehouseGraphqlModule } from '@app/graphql';
import { IdentifiersModule } from '@app/identifiers';
import { MaintenanceModule } from '@app/maintenance';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { RateLimitModule } from '@app/rate-limit';
import { SecondFactorModule } from '@app/second-factor';
import { SecurityEventsModule } from '@app/security-events';
import { ClientModule } from './client/client.module';
import { HealthController } from './health.controller';

/** Composes infrastructure and feature modules; nothing else lives here. */
@Module({
  imports: [
    ConfigModule,
    CoreModule.forRoot(),
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config.logLevel, config.logPretty) }),
    ObservabilityModule,
    DatabaseModule,
    RateLimitModule,
    ScheduleModule.forRoot(),
    GatehouseGraphqlModule,
    SecurityEventsModule,
    NotificationsModule,
    OtpModule,
    IdentifiersModule,
    SecondFactorModule,
    AuthModule,
    AccountsModule,
    AccountDeletionModule,
    MaintenanceModule,
    TerminusModule,
    ClientModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
