import { UseGuards } from '@nestjs/common';
import { Locale } from '@app/core';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, GqlAuthGuard, Principal, Roles, RolesGuard } from '@app/graphql';
import { NotificationTemplateModel, UpsertNotificationTemplateInput } from './notification-template.models';
import { NotificationTemplatesService } from './notification-templates.service';

@Resolver(() => NotificationTemplateModel)
@UseGuards(GqlAuthGuard, RolesGuard)
@Roles('ADMIN')
export class NotificationTemplatesResolver {
  constructor(private readonly templates: NotificationTemplatesService) {}

  @Query(() => [NotificationTemplateModel], { description: 'ADMIN only.' })
  notificationTemplates(
    @Args('key', { type: () => String, nullable: true }) key: string | null,
    @Args('locale', { type: () => Locale, nullable: true }) locale: Locale | null,
  ): Promise<NotificationTemplateModel[]> {
    return this.templates.list(key?.slice(0, 64), locale);
  }

  @Mutation(() => NotificationTemplateModel, { description: 'ADMIN only. The template must compile and render with sample variables.' })
  upsertNotificationTemplate(@Args('input') input: UpsertNotificationTemplateInput, @CurrentPrincipal() me: Principal): Promise<NotificationTemplateModel> {
    return this.templates.upsert(input, me.accountId);
  }
}
