import { Module } from '@nestjs/common';
import { CredentialsModule } from '@app/credentials';
import { NotificationsModule } from '@app/notifications';
import { ContactManagementService } from './contact-management.service';
import { OtpModule } from '@app/otp';
import { IdentifierVerificationService } from './identifier-verification.service';
import { IdentifiersResolver } from './identifiers.resolver';
import { IdentifiersService } from './identifiers.service';

@Module({
  imports: [OtpModule, NotificationsModule, CredentialsModule],
  providers: [IdentifiersService, IdentifierVerificationService, ContactManagementService, IdentifiersResolver],
  exports: [IdentifiersService, IdentifierVerificationService, ContactManagementService],
})
export class IdentifiersModule {}
