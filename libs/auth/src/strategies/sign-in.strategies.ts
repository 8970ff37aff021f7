import { Injectable } from '@nestjs/common';
import { IssuedSession } from '@app/credentials';
import { SignInStrategy } from '@app/graphql';
import type { IdentifierKind } from '@app/identifiers';
import { SubmitOtpInput } from '@app/otp';
import { SignInInput } from '../inputs/sign-in.input';
import { PasswordSignInService } from '../password-sign-in/password-sign-in.service';
import { SignInCodeService } from '../sign-in-code/sign-in-code.service';

/** `password-<type>`: one strategy per identifier type (contract: Sign-in); PasswordSignInGuard picks one. */
export const passwordStrategyName = (kind: IdentifierKind): string => `password-${kind.toLowerCase()}`;

function passwordStrategy(kind: IdentifierKind) {
  @Injectable()
  class PasswordStrategy extends SignInStrategy(passwordStrategyName(kind), SignInInput) {
    constructor(private readonly passwords: PasswordSignInService) {
      super();
    }

    protected signIn(input: SignInInput): Promise<IssuedSession> {
      return this.passwords.signIn(kind, input.identifier, input.password);
    }
  }
  return PasswordStrategy;
}

export const UsernamePasswordStrategy = passwordStrategy('USERNAME');
export const EmailPasswordStrategy = passwordStrategy('EMAIL');
export const PhonePasswordStrategy = passwordStrategy('PHONE');

/** `signInWithCode` (contract: Sign-in by code). */
@Injectable()
export class SignInCodeStrategy extends SignInStrategy('sign-in-code', SubmitOtpInput) {
  constructor(private readonly codes: SignInCodeService) {
    super();
  }

  protected signIn(input: SubmitOtpInput): Promise<IssuedSession> {
    return this.codes.signIn(input.challengeId, input.code);
  }
}
