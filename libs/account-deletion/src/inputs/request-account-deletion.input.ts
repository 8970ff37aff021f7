import { Field, InputType } from '@nestjs/graphql';
import { Channel } from '@app/core';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';

@InputType()
export class RequestAccountDeletionInput {
  // Hard cap only: the 500-character limit is checked after the password (contract: currentPassword first).
  @Field(() => String, { nullable: true, description: 'Optional: why you leave (at most 500 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reason?: string | null;

  @Field(() => Channel, { nullable: true, description: 'Where the code goes: the primary verified email (default, else phone) or phone.' })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel | null;

  @Field({ description: "Re-authentication: the account's current password." })
  @IsString()
  @MaxLength(1024)
  currentPassword: string;
}

@InputType()
export class CancelAccountDeletionInput {
  @Field({ description: 'The email or phone of the account.' })
  @IsString()
  @MaxLength(1024)
  identifier: string;
}
