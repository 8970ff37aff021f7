import type { Request, Response } from 'express';
import type { Locale } from './errors/messages';

/** Who is calling, as the JWT strategy established it (auth library). */
export interface Principal {
  accountId: string;
  roles: string[];
  organizationId: string | null;
  locale: Locale;
}

export type GatehouseRequest = Request & { user?: Principal; locale?: Locale };

export interface GraphqlContext {
  req: GatehouseRequest;
  res: Response;
}
