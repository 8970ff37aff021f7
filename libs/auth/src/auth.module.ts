import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { CredentialsModule } from '@app/credentials';
import { IdentifiersModule } from '@app/identifiers';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { SecondFactorModule } from '@app/second-factor';
import { PasswordChangeService } from './password-change.service';
import { PasswordResetResolver } from './password-reset/password-reset.resolver';
import { PasswordResetService } from './password-reset/password-reset.service';
import { AuthResolver } from './auth.resolver';
import { PasswordSignInGuard } from './guards/password-sign-in.guard';
import { PasswordSignInService } from './password-sign-in/password-sign-in.service';
import { SessionService } from './session.service';
import { SessionsResolver } from './sessions.resolver';
import { CodeTargets } from './code-target';
import { SignInCodeResolver } from './sign-in-code/sign-in-code.resolver';
import { SignInCodeService } from './sign-in-code/sign-in-code.service';
import { JwtStrategy } from './strategies/jwt.strategy';
import { EmailPasswordStrategy, PhonePasswordStrategy, SignInCodeStrategy, UsernamePasswordStrategy } from './strategies/sign-in.strategies';

@Module({
  imports: [PassportModule.register({ session: false }), CredentialsModule, IdentifiersModule, OtpModule, NotificationsModule, SecondFactorModule],
  providers: [
    AuthResolver,
    SessionsResolver,
    PasswordResetResolver,
    PasswordResetService,
    PasswordChangeService,
    PasswordSignInService,
    SessionService,
    JwtStrategy,
    UsernamePasswordStrategy,
    EmailPasswordStrategy,
    PhonePasswordStrategy,
    SignInCodeStrategy,
    PasswordSignInGuard,
    CodeTargets,
    SignInCodeService,
    SignInCodeResolver,
  ],
})
export class AuthModule {}
