import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { PasswordService } from './passwords/password.service';
import { ReauthenticationService } from './reauthentication.service';
import { SignInLimiter } from './sign-in-limiter';
import { TokenService } from './token.service';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';

/**
 * Passwords (a sign-in's password check inside the failure budget, re-authentication), sessions
 * and access tokens: the credential primitives every flow needs (this library owns the `sessions`
 * and `refresh_tokens` tables). Kept apart from `auth` (sign-in strategies, which need identifier
 * lookups) so the identifiers library can re-authenticate without a dependency cycle.
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [
    CredentialsRepository,
    CredentialsService,
    PasswordService,
    ReauthenticationService,
    TokenService,
    SignInLimiter,
    SessionsRepository,
    SessionsService,
  ],
  exports: [CredentialsRepository, CredentialsService, PasswordService, ReauthenticationService, SignInLimiter, SessionsService],
})
export class CredentialsModule {}
