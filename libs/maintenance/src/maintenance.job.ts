import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Clock } from '@app/core';
import { queryRows } from '@app/database';
import { purgeExpiredResetTokens } from '@app/auth';
import { purgeEndedSessions } from '@app/credentials';
import { purgeDeliveredMessages } from '@app/notifications';
import { purgeEndedChallenges, purgeExpiredCodeHashes } from '@app/otp';
import { purgeOldEvents } from '@app/security-events';
import { DEFAULT_BATCH, RetentionPurges, RetentionResult, RetentionSweeper } from './retention-sweeper';

/** Each owner's batch for each rule. */
const PURGES: RetentionPurges = {
  codeHashesCleared: purgeExpiredCodeHashes,
  challenges: purgeEndedChallenges,
  resetTokens: purgeExpiredResetTokens,
  sessions: purgeEndedSessions,
  outbox: purgeDeliveredMessages,
  securityEvents: purgeOldEvents,
};

/** The retention job (contract: Retention): the cron's and `npm run job:maintenance`'s entry point. */
@Injectable()
export class MaintenanceJob {
  private readonly logger = new Logger('MaintenanceJob');
  private readonly sweeper: RetentionSweeper;

  constructor(
    dataSource: DataSource,
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.sweeper = new RetentionSweeper(
      (sql, params) => queryRows(dataSource, sql, params),
      {
        endedGraceMs: 24 * 3600_000,
        outboxKeepMs: 7 * 86_400_000,
        securityEventRetentionDays: config.securityEventRetentionDays,
        batchSize: DEFAULT_BATCH,
      },
      PURGES,
    );
  }

  async runOnce(): Promise<RetentionResult> {
    const result = await this.sweeper.runOnce(this.clock.now().getTime());
    if (Object.values(result).some((n) => n > 0)) this.logger.log(JSON.stringify({ job: 'maintenance', ...result }));
    return result;
  }
}
