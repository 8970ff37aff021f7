export { AccountsModule } from './accounts.module';
export { AccountsService } from './accounts.service';
export { AccountModel } from './models/account.model';
export { AccountStatus, Role } from './models/enums';
export { AccountException, AccountErrorCode } from './accounts.exception';
export {
  lockAccountsForErasure,
  eraseAccountsFor,
  markPendingDeletion,
  reactivatePendingDeletion,
  sharePendingDeletion,
  timezoneOf,
} from './accounts.repository';
