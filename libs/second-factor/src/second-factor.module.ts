import { Module } from '@nestjs/common';
import { CredentialsModule } from '@app/credentials';
import { IdentifiersModule } from '@app/identifiers';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { FactorCodesService } from './factor-codes.service';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { SecondFactorResolver } from './second-factor.resolver';
import { SecondFactorStrategy } from './second-factor.strategy';
import { SecondFactorSettingsService } from './second-factor-settings.service';
import { SecondFactorsRepository } from './second-factors.repository';
import { SignInStepService } from './sign-in-step.service';
import { SignInTicketsRepository } from './sign-in-tickets.repository';
import { TotpEnrollmentService } from './totp-enrollment.service';

/**
 * Second factor (contract: Second factor): TOTP, code by email / SMS, recovery codes, and the
 * second step of a sign-in. Owns `second_factors`, `totp_enrollments`, `recovery_codes` and
 * `sign_in_tickets`. The sign-in ways (auth) and the Account type (accounts) depend on it, never
 * the reverse.
 */
@Module({
  imports: [CredentialsModule, IdentifiersModule, NotificationsModule, OtpModule],
  providers: [
    SecondFactorsRepository,
    RecoveryCodesRepository,
    SignInTicketsRepository,
    FactorCodesService,
    SecondFactorSettingsService,
    TotpEnrollmentService,
    SignInStepService,
    SecondFactorResolver,
    SecondFactorStrategy,
  ],
  exports: [SecondFactorSettingsService, SignInStepService],
})
export class SecondFactorModule {}
