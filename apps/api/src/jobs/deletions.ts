import 'reflect-metadata';
import { AccountDeletionJob } from '@app/account-deletion';
import { DeletionsJobAppModule } from './deletions.module';
import { runJob } from './run-job';

/**
 * `npm run job:deletions`: runs the account-deletion job once and exits (for an external cron
 * or a Kubernetes CronJob; contract: Running it). Safe next to running instances and other
 * runs of itself. Exit code 0 when the run completed (accounts a cancellation was holding are
 * left for the next run), 1 when it could not run (configuration, database).
 */
runJob('deletions', 'account-deletions', DeletionsJobAppModule, async (context) => {
  const totals = await context.get(AccountDeletionJob).runOnce();
  return { totals, ok: totals.failed === 0 };
});
