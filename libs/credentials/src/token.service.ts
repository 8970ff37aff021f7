import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { AppConfig } from '@app/config';
import type { CredentialRecord } from './credentials.repository';

export interface IssuedToken {
  accessToken: string;
  tokenType: string;
  expiresAt: Date;
  accountId: string;
}

/** What an access token says about its account. */
export type TokenSubject = Pick<CredentialRecord, 'id' | 'roles' | 'organizationId' | 'merchantId' | 'credentialVersion'>;

/** Claims of a Gatehouse access token (contract: sub, sid, roles, org, mch, iat, exp, iss, aud). */
export interface AccessTokenClaims {
  sub: string;
  /** The session (contract: Sessions): an ended session's tokens are refused at once. */
  sid: string;
  roles: string[];
  org: string | null;
  mch: string | null;
  /** Credential version at issue time; a password change bumps it and so revokes the token. */
  ver: number;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

@Injectable()
export class TokenService {
  /**
   * A KeyObject built once: given the string, jsonwebtoken 9 first tries (and fails) to parse it
   * as a PEM private key on every sign. @nestjs/jwt hands it to jsonwebtoken as is.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
  }

  /** An access token of the session (SessionsService is the only caller: every token has a session). */
  issue(account: TokenSubject, sessionId: string): IssuedToken {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.config.jwt.accessTokenTtlSeconds;
    // HS256 over a few hundred bytes takes microseconds: the synchronous form skips jws's streams.
    const accessToken = this.jwt.sign(
      {
        sub: account.id,
        sid: sessionId,
        roles: account.roles,
        org: account.organizationId,
        mch: account.merchantId,
        ver: account.credentialVersion,
        jti: randomUUID(),
        iat,
        exp,
      },
      { algorithm: 'HS256', issuer: this.config.jwt.issuer, audience: this.config.jwt.audience, secret: this.key as unknown as string },
    );
    return { accessToken, tokenType: 'Bearer', expiresAt: new Date(exp * 1000), accountId: account.id };
  }
}
