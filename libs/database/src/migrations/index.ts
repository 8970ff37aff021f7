import { InitialSchema1732250000000 } from './1732250000000-initial-schema';
import { OtpAndNotifications1732250100000 } from './1732250100000-otp-and-notifications';
import { PasswordReset1732250200000 } from './1732250200000-password-reset';
import { AccountDeletion1732250300000 } from './1732250300000-account-deletion';
import { ErasureIndexes1732250400000 } from './1732250400000-erasure-indexes';
import { IdentifierSearch1732250500000 } from './1732250500000-identifier-search';
import { Sessions1732250600000 } from './1732250600000-sessions';
import { SecondFactor1732250700000 } from './1732250700000-second-factor';
import { SecurityEvents1732250800000 } from './1732250800000-security-events';
import { WebhooksAndRetention1732250900000 } from './1732250900000-webhooks-and-retention';
import { ReadModels1732251000000 } from './1732251000000-read-models';

/** Every migration, in order. A new migration is appended here (see `npm run migration:generate`). */
export const MIGRATIONS = [
  InitialSchema1732250000000,
  OtpAndNotifications1732250100000,
  PasswordReset1732250200000,
  AccountDeletion1732250300000,
  ErasureIndexes1732250400000,
  IdentifierSearch1732250500000,
  Sessions1732250600000,
  SecondFactor1732250700000,
  SecurityEvents1732250800000,
  WebhooksAndRetention1732250900000,
  ReadModels1732251000000,
];
