import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DeletionRequestStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(DeletionRequestStatus, {
  name: 'DeletionRequestStatus',
  description: 'PENDING until the code is confirmed; CONFIRMED while the erasure is scheduled; then COMPLETED, or CANCELLED.',
});

@ObjectType('AccountDeletionRequest', { description: 'A self-service request to delete an account, with its schedule.' })
export class AccountDeletionRequestModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  accountId: string;

  @Field(() => DeletionRequestStatus)
  status: DeletionRequestStatus;

  @Field(() => String, { nullable: true, description: 'Why the person leaves, as they wrote it; erased with the account.' })
  reason: string | null;

  @Field(() => Date)
  requestedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the code was confirmed.' })
  confirmedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the account is erased unless the deletion is cancelled before.' })
  scheduledFor: Date | null;

  @Field(() => Date, { nullable: true })
  cancelledAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the account was erased.' })
  completedAt: Date | null;
}
