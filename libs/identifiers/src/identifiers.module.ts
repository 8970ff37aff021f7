import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { IdentifierEntity } from './identifier.entity';
import { IdentifierVerificationService } from './identifier-verification.service';
import { IdentifiersResolver } from './identifiers.resolver';
import { IdentifiersService } from './identifiers.service';

@Module({
  imports: [TypeOrmModule.forFeature([IdentifierEntity]), OtpModule, NotificationsModule],
  providers: [IdentifiersService, IdentifierVerificationService, IdentifiersResolver],
  exports: [IdentifiersService, IdentifierVerificationService],
})
export class IdentifiersModule {}
