import 'reflect-metadata';
import { MaintenanceJob } from '@app/maintenance';
import { MaintenanceJobAppModule } from './maintenance.module';
import { runJob } from './run-job';

/**
 * `npm run job:maintenance`: runs the retention job once and exits (for an external cron or a
 * Kubernetes CronJob; contract: Running it, Retention). Safe next to running instances and
 * other runs of itself. Exit code 0 when the run completed, 1 when it could not run.
 */
runJob('maintenance', 'maintenance', MaintenanceJobAppModule, async (context) => ({ totals: await context.get(MaintenanceJob).runOnce(), ok: true }));
