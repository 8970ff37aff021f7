export { AuthModule } from './auth.module';
export { AuthException, AuthErrorCode } from './auth.exception';
export { erasePasswordResetTokensFor } from './password-reset/password-reset-tokens.repository';
export { purgeExpiredResetTokens } from './password-reset/password-reset-tokens.retention';
