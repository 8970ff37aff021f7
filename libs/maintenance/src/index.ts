export { MaintenanceModule, MaintenanceJobModule } from './maintenance.module';
export { MaintenanceJob } from './maintenance.job';
export { RetentionSweeper, DEFAULT_BATCH } from './retention-sweeper';
export type { RetentionPolicy, RetentionResult, RetentionPurges } from './retention-sweeper';
