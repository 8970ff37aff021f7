import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IdentifierType } from './identifier.model';

@InputType()
export class LinkIdentifierInput {
  @Field(() => IdentifierType, { description: 'EMAIL or PHONE.' })
  @IsEnum(IdentifierType)
  type: IdentifierType;

  @Field()
  @IsString()
  @MaxLength(1024)
  value: string;

  @Field({ description: "Re-authentication: the account's current password." })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword: string;
}

@InputType()
export class ChangeContactInput {
  @Field(() => IdentifierType, { description: 'EMAIL or PHONE.' })
  @IsEnum(IdentifierType)
  type: IdentifierType;

  @Field()
  @IsString()
  @MaxLength(1024)
  newValue: string;

  @Field({ description: "Re-authentication: the account's current password." })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword: string;
}
