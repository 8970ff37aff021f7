import { Module } from '@nestjs/common';
import { CredentialsModule } from '@app/credentials';
import { IdentifiersModule } from '@app/identifiers';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { AccountDeletionFieldResolver, AccountDeletionResolver } from './account-deletion.resolver';
import { AccountDeletionService } from './account-deletion.service';
import { DeletionCancellationService } from './deletion-cancellation.service';
import { DeletionRequestsAdminService } from './deletion-requests-admin.service';
import { DeletionJobModule } from './deletion-job.module';
import { DeletionJobScheduler } from './deletion-job.scheduler';
import { DeletionRequestsRepository } from './deletion-requests.repository';

/**
 * Self-service deletion and its scheduled erasure. Needs `ScheduleModule.forRoot()`
 * (SchedulerRegistry) and `CoreModule.forRoot()` (the clock) in the application for the
 * in-process cron.
 */
@Module({
  imports: [CredentialsModule, IdentifiersModule, NotificationsModule, OtpModule, DeletionJobModule],
  providers: [
    AccountDeletionService,
    DeletionCancellationService,
    DeletionRequestsRepository,
    DeletionRequestsAdminService,
    DeletionJobScheduler,
    AccountDeletionResolver,
    AccountDeletionFieldResolver,
  ],
})
export class AccountDeletionModule {}
