import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Locale, Channel } from '@app/core';
import { IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

@ObjectType('NotificationTemplate')
export class NotificationTemplateModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'e.g. otp.verify_identifier, otp.password_reset, notice.password_changed' })
  key: string;

  @Field(() => Channel)
  channel: Channel;

  @Field(() => Locale)
  locale: Locale;

  @Field(() => String, { nullable: true })
  subject: string | null;

  @Field({ description: 'Handlebars HTML body (email) or text body (SMS); variables are escaped.' })
  body: string;

  @Field(() => String, { nullable: true })
  textBody: string | null;

  @Field(() => Date)
  updatedAt: Date;
}

@InputType()
export class UpsertNotificationTemplateInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  key: string;

  @Field(() => Channel)
  @IsEnum(Channel)
  channel: Channel;

  @Field(() => Locale)
  @IsEnum(Locale)
  locale: Locale;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string | null;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  textBody?: string | null;
}
