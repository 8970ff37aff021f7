import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { OtpChannel } from '@app/otp';

@InputType()
export class RequestSignInCodeInput {
  @Field({ description: 'A verified email or phone.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  identifier: string;

  @Field(() => OtpChannel, { nullable: true })
  @IsOptional()
  @IsEnum(OtpChannel)
  channel?: OtpChannel | null;
}
