import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IdentifierType } from '@app/identifiers';

@InputType()
export class SignInInput {
  @Field({ description: 'A username, an email or a phone number.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  identifier: string;

  @Field(() => IdentifierType, { nullable: true, description: 'Disambiguates the identifier when given; detected otherwise.' })
  @IsOptional()
  @IsEnum(IdentifierType)
  identifierType?: IdentifierType | null;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  @Field()
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}
