import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { queryRows } from '@app/database';
import { DEFAULT_BATCH, RetentionResult, RetentionSweeper } from './retention-sweeper';

/** The retention job (contract: Retention): the cron's and `npm run job:maintenance`'s entry point. */
@Injectable()
export class MaintenanceJob {
  private readonly logger = new Logger('MaintenanceJob');
  private readonly sweeper: RetentionSweeper;

  constructor(dataSource: DataSource, config: AppConfig) {
    this.sweeper = new RetentionSweeper((sql, params) => queryRows(dataSource, sql, params), {
      endedGraceMs: 24 * 3600_000,
      outboxKeepMs: 7 * 86_400_000,
      securityEventRetentionDays: config.securityEventRetentionDays,
      batchSize: DEFAULT_BATCH,
    });
  }

  async runOnce(): Promise<RetentionResult> {
    const result = await this.sweeper.runOnce();
    if (Object.values(result).some((n) => n > 0)) this.logger.log(JSON.stringify({ job: 'maintenance', ...result }));
    return result;
  }
}
