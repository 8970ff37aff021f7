import { Field, InputType } from '@nestjs/graphql';
import { Locale } from '@app/core';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Identifier values are only length-capped here; their real validation is the
 * normalizer's (contract: Identifiers), which names the field in BAD_USER_INPUT.
 */
@InputType()
export class SignUpInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  username?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  phone?: string | null;

  @Field({ description: '8–128 characters, any Unicode.' })
  @IsString()
  @MaxLength(1024)
  password: string;

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

  @Field(() => Locale, { nullable: true })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. Asia/Ho_Chi_Minh.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  organizationName?: string | null;
}
