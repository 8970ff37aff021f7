import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { MetricsService } from './metrics.service';

/**
 * `/metrics` (contract: Configuration, METRICS_TOKEN): with a token, only `Authorization: Bearer
 * <token>` (401 otherwise: the delivery series tell real sends from decoys); without one, open in
 * development and not served at all (404) in production.
 */
@Controller('metrics')
export class MetricsController {
  private readonly tokenDigest?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {
    if (config.metricsToken) this.tokenDigest = digest(config.metricsToken);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.tokenDigest) {
      if (this.config.nodeEnv === 'production') {
        res.status(404).send('Not Found');
        return;
      }
    } else {
      const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      // Compared as digests: constant time whatever the length of what was sent.
      if (!match || !timingSafeEqual(digest(match[1]), this.tokenDigest)) {
        res.status(401).setHeader('WWW-Authenticate', 'Bearer').send('Unauthorized');
        return;
      }
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
