import { Field, ObjectType } from '@nestjs/graphql';

/** `account` is added by the accounts library (a field resolver), which owns the Account type. */
@ObjectType('AuthPayload')
export class AuthPayloadModel {
  @Field({ description: 'Signed JWT; claims: sub, roles, org, mch, iat, exp, iss, aud.' })
  accessToken: string;

  @Field({ description: 'Always "Bearer".' })
  tokenType: string;

  @Field(() => Date)
  expiresAt: Date;

  accountId: string;
}
