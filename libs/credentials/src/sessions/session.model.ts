import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AuthMethodEnum {
  PASSWORD = 'PASSWORD',
  CODE = 'CODE',
  TOTP = 'TOTP',
  EMAIL = 'EMAIL',
  SMS = 'SMS',
  RECOVERY_CODE = 'RECOVERY_CODE',
}
registerEnumType(AuthMethodEnum, { name: 'AuthMethod', description: 'How a session was authenticated.' });

@ObjectType('Session')
export class SessionModel {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { description: 'Last sign-in or refresh.' })
  lastUsedAt: Date;

  @Field(() => Date, { description: 'When it ends at the latest (SESSION_TTL), sooner when idle (SESSION_IDLE_TTL).' })
  expiresAt: Date;

  @Field(() => [AuthMethodEnum])
  authMethods: AuthMethodEnum[];

  @Field(() => String, { nullable: true, description: 'The IP seen at sign-in.' })
  ip: string | null;

  @Field(() => String, { nullable: true, description: 'The user agent seen at sign-in (at most 256 characters).' })
  userAgent: string | null;

  @Field({ description: 'True for the session of the token making the request.' })
  current: boolean;
}
