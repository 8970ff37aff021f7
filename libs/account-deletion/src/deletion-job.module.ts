import { Module } from '@nestjs/common';
import { AccountErasureService } from './account-erasure.service';
import { DeletionRequestsRepository } from './deletion-requests.repository';
import { AccountDeletionJob } from './deletion.job';

/**
 * The deletion job alone (database only: no GraphQL, no mail, no scheduler), for the
 * standalone `npm run job:deletions` context as well as the API.
 */
@Module({
  providers: [AccountDeletionJob, AccountErasureService, DeletionRequestsRepository],
  exports: [AccountDeletionJob],
})
export class DeletionJobModule {}
