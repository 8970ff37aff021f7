import { Injectable } from '@nestjs/common';
import { IssuedSession } from '@app/credentials';
import { SignInStrategy } from '@app/graphql';
import { CompleteSignInInput } from './second-factor.models';
import { SignInStepService } from './sign-in-step.service';

/**
 * `completeSignIn` (contract: Second factor): the ticket and a code. It returns the session itself
 * rather than a verified account: the code, the ticket's single use and the new session are one
 * transaction (SignInStepService.complete), so nothing can take the ticket between check and session.
 */
@Injectable()
export class SecondFactorStrategy extends SignInStrategy('second-factor', CompleteSignInInput) {
  constructor(private readonly step: SignInStepService) {
    super();
  }

  protected signIn(input: CompleteSignInInput): Promise<IssuedSession> {
    return this.step.complete(input.ticket, input.method, input.code);
  }
}
