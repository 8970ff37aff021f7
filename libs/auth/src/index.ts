export { AuthModule } from './auth.module';
export { AuthException, AuthErrorCode } from './auth.exception';
