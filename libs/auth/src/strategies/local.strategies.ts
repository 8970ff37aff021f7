import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import type { IdentifierKind } from '@app/identifiers';
import { CredentialsService } from '../credentials.service';

/**
 * One passport-local strategy per identifier type (`local-username`, `local-email`,
 * `local-phone`); the sign-in guard picks one from the detected or given type.
 */
function localStrategy(kind: IdentifierKind) {
  @Injectable()
  class LocalStrategy extends PassportStrategy(Strategy, `local-${kind.toLowerCase()}`) {
    constructor(readonly credentials: CredentialsService) {
      super({ usernameField: 'identifier', passwordField: 'password', session: false });
    }

    validate(identifier: string, password: string) {
      return this.credentials.verify(kind, identifier, password);
    }
  }
  return LocalStrategy;
}

export const UsernameStrategy = localStrategy('USERNAME');
export const EmailStrategy = localStrategy('EMAIL');
export const PhoneStrategy = localStrategy('PHONE');
