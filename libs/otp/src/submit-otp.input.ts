import { Field, ID, InputType } from '@nestjs/graphql';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

@InputType()
export class SubmitOtpInput {
  @Field(() => ID)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  challengeId: string;

  @Field({ description: 'The code that was sent (digits).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  code: string;
}
