import { Field, ID, ObjectType } from '@nestjs/graphql';
import { OtpChallengeModel } from '@app/otp';
import { AccountModel } from './account.model';

@ObjectType('SignUpPayload')
export class SignUpPayloadModel {
  @Field()
  accessToken: string;

  @Field()
  tokenType: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field({ description: 'Opaque, single-use: refreshSession trades it for a new pair.' })
  refreshToken: string;

  @Field(() => Date)
  refreshTokenExpiresAt: Date;

  @Field(() => ID)
  sessionId: string;

  @Field(() => AccountModel)
  account: AccountModel;

  @Field(() => [OtpChallengeModel], { description: 'Verification codes sent automatically for each email / phone given at sign-up.' })
  verifications: OtpChallengeModel[];
}
