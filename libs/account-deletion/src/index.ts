export { AccountDeletionModule } from './account-deletion.module';
export { DeletionJobModule } from './deletion-job.module';
export { AccountDeletionJob } from './deletion.job';
export type { DeletionJobResult } from './deletion.job';
export { AccountDeletionRequestModel, DeletionRequestStatus } from './models/account-deletion-request.model';
export { AccountDeletionException, AccountDeletionErrorCode } from './account-deletion.exception';
