import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum IdentifierType {
  USERNAME = 'USERNAME',
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
}
registerEnumType(IdentifierType, { name: 'IdentifierType' });

@ObjectType('Identifier', { description: 'A username, email or phone of an account.' })
export class IdentifierModel {
  @Field(() => ID)
  id: string;

  @Field(() => IdentifierType)
  type: IdentifierType;

  @Field({ description: 'Normalized value: lower-case username / email, E.164 phone.' })
  value: string;

  @Field({ description: 'Usernames are verified when created; emails and phones through a one-time code.' })
  verified: boolean;

  @Field(() => Date, { nullable: true })
  verifiedAt: Date | null;

  @Field({ description: 'The identifier used for notices and codes among those of its type.' })
  primary: boolean;

  @Field(() => Date)
  createdAt: Date;
}
