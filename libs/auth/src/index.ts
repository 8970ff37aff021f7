export { AuthModule } from './auth.module';
export { CredentialsService } from './credentials.service';
export { AuthPayloadModel } from './models/auth-payload.model';
export { AuthException, AuthErrorCode } from './auth.exception';
