export { IdentifiersModule } from './identifiers.module';
export { IdentifiersService } from './identifiers.service';
export type { NewIdentifier } from './identifiers.service';
export { IdentifierVerificationService } from './identifier-verification.service';
export type { ContactToProve } from './identifier-verification.service';
export { IdentifierModel, IdentifierType } from './identifier.model';
export { IdentifierException, IdentifierErrorCode } from './identifiers.exception';
export type { IdentifierKind } from './identifier-normalizer';
export { maskEmail, maskPhone } from './identifier-normalizer';
