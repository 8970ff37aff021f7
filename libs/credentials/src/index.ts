export { CredentialsModule } from './credentials.module';
export { CredentialsRepository } from './credentials.repository';
export type { CredentialRecord } from './credentials.repository';
export { PasswordService } from './passwords/password.service';
export { ReauthenticationService } from './reauthentication.service';
export { TokenService } from './token.service';
export { AuthPayloadModel } from './auth-payload.model';
export type { IssuedToken, AccessTokenClaims } from './token.service';
export { CredentialException, CredentialErrorCode } from './credentials.exception';
