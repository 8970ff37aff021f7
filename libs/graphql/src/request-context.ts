import type { Request, Response } from 'express';
import type { Locale } from '@app/core';

/**
 * The caller's account row as this request's token check read it. Lives for one request only:
 * nothing about an account's authentication state is cached across requests.
 */
export interface PrincipalAccount {
  id: string;
  status: string;
  roles: string[];
  organizationId: string | null;
  merchantId: string | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who is calling, as the JWT strategy established it (auth library). */
export interface Principal {
  accountId: string;
  /** The session of the access token (its `sid`). */
  sessionId: string;
  roles: string[];
  organizationId: string | null;
  locale: Locale;
  /** The row the token check read (so `me` needs no second read of it). */
  account?: PrincipalAccount;
  /** SECOND_FACTOR_REQUIRED_ROLES: a role that must set up a second factor, and none is on yet. */
  secondFactorSetupRequired?: boolean;
}

export type GatehouseRequest = Request & { user?: Principal; locale?: Locale };

export interface GraphqlContext {
  req: GatehouseRequest;
  res: Response;
}
