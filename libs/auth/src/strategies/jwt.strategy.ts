import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '@app/config';
import type { Principal } from '@app/graphql';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { CredentialsRepository, type AccessTokenClaims } from '@app/credentials';
import { SignInStepService } from '@app/second-factor';

/**
 * Bearer tokens: HS256 only (so `alg: none` and key-confusion tokens fail), our issuer and
 * audience, `exp` with 1 s of leeway; then one read of the account and the token's session, so a
 * blocked, deleted or password-changed account's token, or an ended session's, stops working at once (no cache on purpose; concurrent
 * checks share a query, see CredentialsRepository.findCurrent).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly config: AppConfig,
    private readonly credentials: CredentialsRepository,
    private readonly step: SignInStepService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject built once: given the string, jsonwebtoken 9 first tries (and fails) to parse
      // it as a PEM public key on every verify, then builds this same secret key each time.
      // passport-jwt hands it to jsonwebtoken.verify as is (its typings only list string | Buffer).
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: 1, maxAge: `${config.jwt.accessTokenTtlSeconds + 1}s` },
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal> {
    // Every token we issue carries sid, exp and iat: one without them was not issued by us.
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.sid !== 'string' ||
      typeof claims.ver !== 'number' ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number'
    ) {
      throw new AuthException(AuthErrorCode.UNAUTHENTICATED);
    }
    // Contract: a token whose iat lies more than 5 s ahead is refused.
    if (claims.iat > Date.now() / 1000 + 5) throw new AuthException(AuthErrorCode.UNAUTHENTICATED);
    const account = UUID.test(claims.sub) && UUID.test(claims.sid) ? await this.credentials.findCurrent(claims.sub, claims.sid) : null;
    if (!account || account.status !== 'ACTIVE' || account.credentialVersion !== claims.ver) {
      throw new AuthException(AuthErrorCode.UNAUTHENTICATED);
    }
    // SECOND_FACTOR_REQUIRED_ROLES: only accounts holding such a role pay for the extra read.
    const mustSetUp = account.roles.some((r) => this.config.secondFactor.requiredRoles.includes(r)) && !(await this.step.hasFactor(account.id));
    return {
      secondFactorSetupRequired: mustSetUp,
      accountId: account.id,
      sessionId: claims.sid,
      roles: account.roles,
      organizationId: account.organizationId,
      locale: account.locale,
      account: {
        id: account.id,
        status: account.status,
        roles: account.roles,
        organizationId: account.organizationId,
        merchantId: account.merchantId,
        passwordChangedAt: account.passwordChangedAt,
        createdAt: account.createdAt,
        updatedAt: account.updatedAt,
      },
    };
  }
}
