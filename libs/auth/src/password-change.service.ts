import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CredentialsRepository, SessionsService } from '@app/credentials';
import { NoticesService } from '@app/notifications';
import { OtpPurpose, OtpService } from '@app/otp';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { killOpenResetTokens } from './password-reset/password-reset-tokens.repository';

/**
 * What every password change and reset does, inside its transaction (contract: Passwords):
 * the new hash and a bumped credential version (every earlier token dies), every open reset
 * code, reset token and pending contact change killed, the sessions ended (all of them for a
 * reset, every other one for a change: contract, Sessions), and a `notice.password_changed`.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly repository: CredentialsRepository,
    private readonly otp: OtpService,
    private readonly notices: NoticesService,
    private readonly sessions: SessionsService,
  ) {}

  /** `keepSessionId`: the caller's session, which a change keeps (null: a reset ends them all). */
  async apply(manager: EntityManager, accountId: string, passwordHash: string, keepSessionId: string | null): Promise<number> {
    const version = await this.repository.setPassword(accountId, passwordHash, manager);
    await this.sessions.endAll(accountId, keepSessionId ? 'password_changed' : 'password_reset', manager, keepSessionId);
    await killOpenResetTokens(manager, accountId);
    await this.otp.killOpen(manager, accountId, [OtpPurpose.PASSWORD_RESET, OtpPurpose.CHANGE_CONTACT]);
    await this.notices.notify(manager, accountId, 'notice.password_changed');
    const type = keepSessionId ? SecurityEventType.PASSWORD_CHANGED : SecurityEventType.PASSWORD_RESET;
    await this.events.record(manager, { type, accountId, sessionId: keepSessionId });
    return version;
  }
}
