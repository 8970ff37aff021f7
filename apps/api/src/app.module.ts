import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AccountsModule } from '@app/accounts';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { GatehouseGraphqlModule } from '@app/graphql';
import { IdentifiersModule } from '@app/identifiers';
import { HealthController } from './health.controller';

/** Composes infrastructure and feature modules; nothing else lives here. */
@Module({
  imports: [ConfigModule, DatabaseModule, GatehouseGraphqlModule, IdentifiersModule, AuthModule, AccountsModule, TerminusModule],
  controllers: [HealthController],
})
export class AppModule {}
