import { Field, InputType } from '@nestjs/graphql';
import { Locale } from '@app/core';
import { IsEnum, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** No contact fields: emails and phones change only through the verified flows. */
@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string | null;
}

@InputType()
export class UpdateSettingsInput {
  @Field(() => Locale, { nullable: true })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  emailNotifications?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  smsNotifications?: boolean | null;
}
