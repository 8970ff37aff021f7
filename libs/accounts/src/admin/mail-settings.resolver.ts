import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiException } from '@app/core';
import { CurrentPrincipal, GqlAuthGuard, Principal, Roles, RolesGuard } from '@app/graphql';
import { IdentifiersService } from '@app/identifiers';
import { MailSettingsModel, MailSettingsService, UpdateMailSettingsInput } from '@app/notifications';

/**
 * The sender of every mail (contract: Administration). Here rather than in notifications, which
 * owns the row, because the addresses are validated like email identifiers and the identifiers
 * library depends on notifications, not the other way round.
 */
@Resolver(() => MailSettingsModel)
@UseGuards(GqlAuthGuard, RolesGuard)
@Roles('ADMIN')
export class MailSettingsResolver {
  constructor(
    private readonly mail: MailSettingsService,
    private readonly identifiers: IdentifiersService,
  ) {}

  @Query(() => MailSettingsModel, { description: 'ADMIN only.' })
  mailSettings(): Promise<MailSettingsModel> {
    return this.mail.settings();
  }

  @Mutation(() => MailSettingsModel, { description: 'ADMIN only. Addresses are validated like email identifiers.' })
  updateMailSettings(@Args('input') input: UpdateMailSettingsInput, @CurrentPrincipal() me: Principal): Promise<MailSettingsModel> {
    const fromName = input.fromName?.normalize('NFKC').trim() || null;
    // The name goes into a From header: no line breaks, quotes or angle brackets.
    if (fromName && /[\p{Cc}\p{Cf}"<>]/u.test(fromName)) throw ApiException.badInput('fromName', 'invalid');
    const fromAddress = this.identifiers.normalize('EMAIL', input.fromAddress, 'fromAddress');
    const replyTo = input.replyTo?.trim() ? this.identifiers.normalize('EMAIL', input.replyTo, 'replyTo') : null;
    return this.mail.update(me.accountId, { fromName, fromAddress, replyTo });
  }
}
