import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageInfoModel } from '@app/graphql';
import { SecurityEventType } from './security-event-type';

@ObjectType('SecurityEvent')
export class SecurityEventModel {
  @Field(() => ID)
  id: string;

  @Field(() => SecurityEventType)
  type: SecurityEventType;

  @Field(() => ID, { nullable: true })
  accountId: string | null;

  @Field(() => ID, { nullable: true, description: 'The ADMIN who acted, when an admin did.' })
  actorId: string | null;

  @Field(() => ID, { nullable: true })
  sessionId: string | null;

  @Field()
  occurredAt: Date;

  @Field(() => String, { nullable: true })
  ip: string | null;

  @Field(() => String, { nullable: true })
  userAgent: string | null;

  @Field(() => String, { nullable: true, description: "Short detail: a result, an identifier type, a method, an admin's reason." })
  detail: string | null;
}

@ObjectType('SecurityEventEdge')
export class SecurityEventEdgeModel {
  @Field()
  cursor: string;

  @Field(() => SecurityEventModel)
  node: SecurityEventModel;
}

@ObjectType('SecurityEventConnection')
export class SecurityEventConnectionModel {
  @Field(() => [SecurityEventEdgeModel])
  edges: SecurityEventEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo: PageInfoModel;
}

@InputType()
export class SecurityEventFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  accountId?: string | null;

  @Field(() => SecurityEventType, { nullable: true })
  @IsOptional()
  @IsEnum(SecurityEventType)
  type?: SecurityEventType | null;

  @Field(() => Date, { nullable: true, description: 'Inclusive.' })
  @IsOptional()
  @IsDate()
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  @IsOptional()
  @IsDate()
  until?: Date | null;
}
