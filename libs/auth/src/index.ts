export { AuthModule } from './auth.module';
export { CredentialsService } from './credentials.service';
export { AuthException, AuthErrorCode } from './auth.exception';
export { erasePasswordResetTokensFor, purgeExpiredResetTokens } from './password-reset/password-reset-tokens.repository';
