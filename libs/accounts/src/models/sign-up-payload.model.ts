import { Field, ObjectType } from '@nestjs/graphql';
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

  @Field(() => AccountModel)
  account: AccountModel;

  @Field(() => [OtpChallengeModel], { description: 'Verification codes sent automatically for each email / phone given at sign-up.' })
  verifications: OtpChallengeModel[];
}
