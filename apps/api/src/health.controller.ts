import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AppConfig } from '@app/config';
import { RateLimitStore } from '@app/rate-limit';

/**
 * Liveness says the process answers; readiness says it can reach its database, and Redis when
 * configured (contract: Endpoints). Both probes answer within a few seconds, never hang.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const db = () => this.db.pingCheck('database', { timeout: 3000 });
    return this.health.check(this.config.redisUrl ? [db, () => this.redis()] : [db]);
  }

  private async redis() {
    const session = this.indicators.check('redis');
    try {
      await Promise.race([this.store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }
}
