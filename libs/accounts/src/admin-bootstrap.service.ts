import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppException, ErrorCode } from '@app/core';
import { AppConfig } from '@app/config';
import { IdentifiersService } from '@app/identifiers';
import { SignUpService } from './sign-up.service';

/** ADMIN_USERNAME / ADMIN_PASSWORD: creates that ADMIN account at boot if no account has the username. */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly signUp: SignUpService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { username, password } = this.config.admin;
    if (!username || !password) return;
    const value = this.identifiers.normalize('USERNAME', username, 'ADMIN_USERNAME');
    if (await this.identifiers.isUsernameTaken(value)) return;
    try {
      await this.signUp.execute({ username, password }, this.config.defaultLocale, { extraRoles: ['ADMIN'], ignoreRequired: true, source: 'admin_bootstrap' });
      this.logger.log(`created the ADMIN account "${value}"`);
    } catch (err) {
      // Another instance booting at the same moment created it first.
      if (err instanceof AppException && err.code === ErrorCode.IDENTIFIER_TAKEN) return;
      if (err instanceof AppException) {
        throw new Error(`Invalid configuration: ADMIN_USERNAME / ADMIN_PASSWORD refused (${err.code}${err.details.reason ? `: ${err.details.reason}` : ''})`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}
