import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

@ObjectType('MailSettings')
export class MailSettingsModel {
  @Field(() => String, { nullable: true })
  fromName: string | null;

  @Field()
  fromAddress: string;

  @Field(() => String, { nullable: true })
  replyTo: string | null;

  @Field()
  updatedAt: Date;
}

@InputType()
export class UpdateMailSettingsInput {
  @Field(() => String, { nullable: true, description: 'Display name of the sender.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fromName?: string | null;

  @Field({ description: 'Validated like an email identifier.' })
  @IsString()
  @MaxLength(254)
  fromAddress: string;

  @Field(() => String, { nullable: true, description: 'Validated like an email identifier.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  replyTo?: string | null;
}
