import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from '@app/graphql';
import { AccountDeletionRequestModel } from './account-deletion-request.model';

@ObjectType('AccountDeletionRequestEdge')
export class AccountDeletionRequestEdgeModel {
  @Field()
  cursor: string;

  @Field(() => AccountDeletionRequestModel)
  node: AccountDeletionRequestModel;
}

@ObjectType('AccountDeletionRequestConnection')
export class AccountDeletionRequestConnectionModel {
  @Field(() => [AccountDeletionRequestEdgeModel])
  edges: AccountDeletionRequestEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo: PageInfoModel;
}
