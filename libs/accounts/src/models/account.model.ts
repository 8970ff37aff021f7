import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Locale } from '@app/core';
import { AccountStatus, Role } from './enums';

@ObjectType('Profile')
export class ProfileModel {
  @Field(() => String, { nullable: true })
  displayName: string | null;

  @Field(() => String, { nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  lastName: string | null;
}

@ObjectType('AccountSettings')
export class AccountSettingsModel {
  @Field(() => Locale)
  locale: Locale;

  @Field({ description: 'IANA time zone, e.g. Asia/Ho_Chi_Minh.' })
  timezone: string;

  @Field()
  emailNotifications: boolean;

  @Field()
  smsNotifications: boolean;
}

@ObjectType('Organization')
export class OrganizationModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}

/**
 * An account as clients see it. Nested objects (organization, profile, settings,
 * identifiers, deletionRequest) are resolved by field resolvers through DataLoader.
 */
@ObjectType('Account')
export class AccountModel {
  @Field(() => ID)
  id: string;

  @Field(() => AccountStatus)
  status: AccountStatus;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => ID, { nullable: true })
  merchantId: string | null;

  @Field(() => Date, { nullable: true })
  passwordChangedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  /** Not a field: used by field resolvers. */
  organizationId: string | null;

  /**
   * Not a field: who is looking, when it is not the request's token (an AuthPayload's account is
   * seen by the session just issued). Decides `sessions` / `current`.
   */
  viewer?: { accountId: string; sessionId: string; roles: string[] };
}
