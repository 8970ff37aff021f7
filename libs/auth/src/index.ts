export { AuthModule } from './auth.module';
export { PasswordService } from './passwords/password.service';
export { TokenService } from './token.service';
export type { IssuedToken } from './token.service';
export { CredentialsService } from './credentials.service';
export { AuthPayloadModel } from './models/auth-payload.model';
export { AuthException, AuthErrorCode } from './auth.exception';
