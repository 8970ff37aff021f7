import { Field, InputType } from '@nestjs/graphql';
import { Channel } from '@app/core';
import { IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

@InputType()
export class RequestSignInCodeInput {
  @Field({ description: 'A verified email or phone.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  identifier: string;

  @Field(() => Channel, { nullable: true })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel | null;
}
