import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { SignInGuard } from '@app/graphql';
import { IdentifierKind, IdentifiersService } from '@app/identifiers';
import { SignInInput } from '../inputs/sign-in.input';
import { passwordStrategyName } from '../strategies/sign-in.strategies';

const guardOf = (kind: IdentifierKind): CanActivate => new (SignInGuard(passwordStrategyName(kind)))();
const GUARDS: Record<IdentifierKind, CanActivate> = { USERNAME: guardOf('USERNAME'), EMAIL: guardOf('EMAIL'), PHONE: guardOf('PHONE') };

/**
 * `signIn`: the SignInGuard of the identifier's type, given or detected (contract: Sign-in). The
 * GraphQL schema has already made `identifier` a string and `identifierType` one of the enum;
 * the strategy validates the rest.
 */
@Injectable()
export class PasswordSignInGuard implements CanActivate {
  constructor(private readonly identifiers: IdentifiersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { input } = GqlExecutionContext.create(context).getArgs<{ input: Pick<SignInInput, 'identifier' | 'identifierType'> }>();
    const kind = input.identifierType ?? this.identifiers.detect(input.identifier);
    return (await GUARDS[kind].canActivate(context)) as boolean;
  }
}
