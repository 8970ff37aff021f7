import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CredentialsModule } from '@app/credentials';
import { IdentifiersModule } from '@app/identifiers';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { SecondFactorModule } from '@app/second-factor';
import { AccountSecondFactorResolver } from './account-second-factor.resolver';
import { AccountsResolver, AuthPayloadAccountResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AccountAdminService } from './admin/account-admin.service';
import { AccountDirectoryService } from './admin/account-directory.service';
import { AdminAccountsResolver } from './admin/admin-accounts.resolver';
import { MailSettingsResolver } from './admin/mail-settings.resolver';
import { SignUpService } from './sign-up.service';

@Module({
  imports: [AuthModule, CredentialsModule, IdentifiersModule, NotificationsModule, OtpModule, SecondFactorModule],
  providers: [
    AccountsService,
    SignUpService,
    AccountsResolver,
    AuthPayloadAccountResolver,
    AdminBootstrapService,
    AccountAdminService,
    AccountDirectoryService,
    AdminAccountsResolver,
    AccountSecondFactorResolver,
    MailSettingsResolver,
  ],
  exports: [AccountsService],
})
export class AccountsModule {}
