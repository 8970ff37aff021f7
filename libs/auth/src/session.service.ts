import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentifiersService } from '@app/identifiers';
import { IssuedSession, PasswordService, ReauthenticationService, SessionsService } from '@app/credentials';
import { PasswordChangeService } from './password-change.service';

/** `changePassword`: the current password, the policy, then every other session ends in one transaction. */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly reauth: ReauthenticationService,
    private readonly passwordChange: PasswordChangeService,
    private readonly passwords: PasswordService,
    private readonly identifiers: IdentifiersService,
  ) {}

  /** Every other session ends; the caller's gets a new pair (the replaced refresh token has no reuse window). */
  async changePassword(accountId: string, sessionId: string, currentPassword: string, newPassword: string): Promise<IssuedSession> {
    const account = await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    this.passwords.assertInputSize(newPassword, 'newPassword');
    const identifiers = await this.identifiers.listForAccount(accountId);
    this.passwords.assertPolicy(
      newPassword,
      identifiers.map((i) => i.value),
    );
    const passwordHash = await this.passwords.hash(newPassword);
    return this.dataSource.transaction(async (manager) => {
      const version = await this.passwordChange.apply(manager, accountId, passwordHash, sessionId);
      return this.sessions.reissue(manager, { ...account, credentialVersion: version }, sessionId);
    });
  }
}
