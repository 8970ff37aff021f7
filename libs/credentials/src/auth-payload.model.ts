import { Field, ID, ObjectType } from '@nestjs/graphql';

/** `account` is added by the accounts library (a field resolver), which owns the Account type. */
@ObjectType('AuthPayload')
export class AuthPayloadModel {
  @Field({ description: 'Signed JWT; claims: sub, sid, roles, org, mch, iat, exp, iss, aud.' })
  accessToken: string;

  @Field({ description: 'Always "Bearer".' })
  tokenType: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field({ description: 'Opaque, single-use: refreshSession trades it for a new pair.' })
  refreshToken: string;

  @Field(() => Date, { description: 'When the session ends at the latest, as of now (the earlier of its absolute and idle ends).' })
  refreshTokenExpiresAt: Date;

  @Field(() => ID)
  sessionId: string;

  accountId: string;
}
