export { AuthModule } from './auth.module';
export { AuthException, AuthErrorCode } from './auth.exception';
export { erasePasswordResetTokensFor, purgeExpiredResetTokens } from './password-reset/password-reset-tokens.repository';
