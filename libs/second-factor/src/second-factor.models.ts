import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Channel } from '@app/core';
import { IsEnum, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export enum SecondFactorMethod {
  TOTP = 'TOTP',
  EMAIL = 'EMAIL',
  SMS = 'SMS',
  RECOVERY_CODE = 'RECOVERY_CODE',
}
registerEnumType(SecondFactorMethod, {
  name: 'SecondFactorMethod',
  valuesMap: {
    TOTP: { description: 'An authenticator app (TOTP, RFC 6238).' },
    EMAIL: { description: "A code sent to the account's verified email." },
    SMS: { description: "A code sent to the account's verified phone." },
    RECOVERY_CODE: { description: "One of the account's single-use recovery codes." },
  },
});

@ObjectType('SecondFactorStatus')
export class SecondFactorStatusModel {
  @Field()
  enabled: boolean;

  @Field(() => [SecondFactorMethod])
  methods: SecondFactorMethod[];

  @Field(() => Int)
  recoveryCodesRemaining: number;
}

@ObjectType('TotpEnrollment')
export class TotpEnrollmentModel {
  @Field(() => ID)
  enrollmentId: string;

  @Field({ description: "otpauth://totp/… URI (the QR code's content)." })
  otpauthUri: string;

  @Field({ description: 'Base32 secret, for typing into an app by hand.' })
  secret: string;

  @Field(() => Date)
  expiresAt: Date;
}

@ObjectType('RecoveryCodes')
export class RecoveryCodesModel {
  @Field(() => [String], { description: 'Shown once; each works once.' })
  codes: string[];

  @Field(() => Date)
  generatedAt: Date;
}

@InputType()
export class BeginTotpEnrollmentInput {
  @Field()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;
}

@InputType()
export class ConfirmTotpEnrollmentInput {
  @Field(() => ID)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  enrollmentId: string;

  @Field()
  @IsString()
  @MaxLength(64)
  code: string;
}

@InputType()
export class EnableCodeSecondFactorInput {
  @Field(() => Channel)
  @IsEnum(Channel)
  channel: Channel;

  @Field()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;
}

@InputType()
export class DisableSecondFactorInput {
  @Field()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  @Field({ description: 'A TOTP code or a recovery code.' })
  @IsString()
  @MaxLength(64)
  code: string;
}

@InputType()
export class RegenerateRecoveryCodesInput {
  @Field()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;
}

@InputType()
export class CompleteSignInInput {
  @Field(() => ID, { description: 'extensions.ticket of SECOND_FACTOR_REQUIRED.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  ticket: string;

  @Field(() => SecondFactorMethod)
  @IsEnum(SecondFactorMethod)
  method: SecondFactorMethod;

  @Field()
  @IsString()
  @MaxLength(64)
  code: string;
}

@InputType()
export class RequestSecondFactorCodeInput {
  @Field(() => ID)
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  ticket: string;

  @Field(() => Channel)
  @IsEnum(Channel)
  channel: Channel;
}
