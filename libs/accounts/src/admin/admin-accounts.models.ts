import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageInfoModel } from '@app/graphql';
import { AccountModel } from '../models/account.model';
import { AccountStatus, Role } from '../models/enums';

@InputType()
export class AccountFilter {
  @Field(() => String, { nullable: true, description: 'Prefix of any identifier value (username, email or phone).' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  search?: string | null;

  @Field(() => AccountStatus, { nullable: true })
  @IsOptional()
  @IsEnum(AccountStatus)
  status?: AccountStatus | null;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  role?: Role | null;

  @Field(() => Boolean, { nullable: true, description: 'Accounts with (true) or without (false) a verified email or phone.' })
  @IsOptional()
  @IsBoolean()
  verified?: boolean | null;
}

@ObjectType('AccountEdge')
export class AccountEdgeModel {
  @Field()
  cursor: string;

  @Field(() => AccountModel)
  node: AccountModel;
}

@ObjectType('AccountConnection')
export class AccountConnectionModel {
  @Field(() => [AccountEdgeModel])
  edges: AccountEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo: PageInfoModel;

  /** Not a field: lets `totalCount` be computed only when it is asked for. */
  filter: AccountFilter;
}
