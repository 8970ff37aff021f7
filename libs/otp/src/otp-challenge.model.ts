import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Channel } from '@app/core';

export enum OtpPurpose {
  VERIFY_IDENTIFIER = 'VERIFY_IDENTIFIER',
  LINK_IDENTIFIER = 'LINK_IDENTIFIER',
  CHANGE_CONTACT = 'CHANGE_CONTACT',
  PASSWORD_RESET = 'PASSWORD_RESET',
  ACCOUNT_DELETION = 'ACCOUNT_DELETION',
  CANCEL_ACCOUNT_DELETION = 'CANCEL_ACCOUNT_DELETION',
  SIGN_IN = 'SIGN_IN',
  SECOND_FACTOR = 'SECOND_FACTOR',
}
registerEnumType(OtpPurpose, {
  name: 'OtpPurpose',
  valuesMap: {
    SIGN_IN: { description: 'Passwordless sign-in by a code sent to a verified email / phone.' },
    SECOND_FACTOR: { description: 'The second step of a sign-in, by email or SMS.' },
  },
});

@ObjectType('OtpChallenge', { description: 'A one-time-code session: the code itself only ever travels to the destination.' })
export class OtpChallengeModel {
  @Field(() => ID, { description: 'Opaque, unguessable handle of this one-time-code session.' })
  challengeId: string;

  @Field(() => OtpPurpose)
  purpose: OtpPurpose;

  @Field(() => Channel)
  channel: Channel;

  @Field({ description: 'Masked destination, e.g. j***@example.com or +8490****567.' })
  destination: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => Date)
  resendAvailableAt: Date;

  @Field(() => Int)
  attemptsRemaining: number;
}
