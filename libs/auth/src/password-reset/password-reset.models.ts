import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { Channel } from '@app/core';
import { IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

@InputType()
export class RequestPasswordResetInput {
  @Field({ description: 'A username, an email or a phone number.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  identifier: string;

  @Field(() => Channel, { nullable: true, description: 'Where the code goes, when the account has both.' })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel | null;
}

@InputType()
export class ResetPasswordInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  resetToken: string;

  @Field()
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

@ObjectType('PasswordResetTicket')
export class PasswordResetTicketModel {
  @Field({ description: 'Single-use token that authorizes resetPassword; it is not a session token.' })
  resetToken: string;

  @Field(() => Date)
  expiresAt: Date;
}

@ObjectType('ResetPasswordPayload')
export class ResetPasswordPayloadModel {
  @Field()
  success: boolean;
}
