import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '@app/config';
import { IdentifiersModule } from '@app/identifiers';
import { AuthResolver } from './auth.resolver';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { SignInGuard } from './guards/sign-in.guard';
import { PasswordService } from './passwords/password.service';
import { SessionService } from './session.service';
import { JwtStrategy } from './strategies/jwt.strategy';
import { EmailStrategy, PhoneStrategy, UsernameStrategy } from './strategies/local.strategies';
import { TokenService } from './token.service';

@Module({
  imports: [
    PassportModule.register({ session: false }),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
    IdentifiersModule,
  ],
  providers: [
    AuthResolver,
    CredentialsRepository,
    CredentialsService,
    PasswordService,
    SessionService,
    TokenService,
    JwtStrategy,
    UsernameStrategy,
    EmailStrategy,
    PhoneStrategy,
    SignInGuard,
  ],
  exports: [PasswordService, TokenService, CredentialsService],
})
export class AuthModule {}
