import { SecurityEventType, type SecurityEventInput } from '@app/security-events';

/** Contract: Webhooks. What downstream services are told, and by which security event. */
export type WebhookType =
  | 'account.created'
  | 'account.deletion_scheduled'
  | 'account.deletion_cancelled'
  | 'account.deleted'
  | 'account.status_changed'
  | 'account.identifier_changed'
  | 'account.password_changed'
  | 'account.sessions_revoked';

export interface WebhookRequest {
  type: WebhookType;
  accountId: string;
  data: Record<string, string>;
}

/**
 * The webhooks a security event triggers (contract: Webhooks, Triggers). Deriving them from the
 * events keeps them in the change's transaction without every flow naming both.
 */
export function webhooksFor(event: SecurityEventInput): WebhookRequest[] {
  const accountId = event.accountId;
  if (!accountId) return [];
  const one = (type: WebhookType, data: Record<string, string> = {}): WebhookRequest => ({ type, accountId, data: { accountId, ...data } });
  switch (event.type) {
    case SecurityEventType.SIGNED_UP:
      return [one('account.created')];
    case SecurityEventType.DELETION_CONFIRMED:
      return [one('account.deletion_scheduled')];
    case SecurityEventType.DELETION_CANCELLED:
      return [one('account.deletion_cancelled')];
    case SecurityEventType.ACCOUNT_ERASED:
      // The tombstone id only: nothing else about the person leaves after the erasure.
      return [{ type: 'account.deleted', accountId, data: { accountId } }];
    case SecurityEventType.STATUS_CHANGED:
      return [one('account.status_changed', event.data?.status ? { status: event.data.status } : {})];
    case SecurityEventType.IDENTIFIER_VERIFIED:
    case SecurityEventType.IDENTIFIER_LINKED:
    case SecurityEventType.CONTACT_CHANGED:
    case SecurityEventType.IDENTIFIER_REMOVED:
      return [one('account.identifier_changed', event.detail ? { identifierType: event.detail } : {})];
    case SecurityEventType.PASSWORD_CHANGED:
    case SecurityEventType.PASSWORD_RESET:
      // A change ends every other session, a reset all of them (contract: Sessions).
      return [
        one('account.password_changed'),
        one('account.sessions_revoked', { reason: event.type === SecurityEventType.PASSWORD_CHANGED ? 'password_changed' : 'password_reset' }),
      ];
    case SecurityEventType.SESSION_REVOKED:
      // Sign-out everywhere and an admin's revocation (no session id); ending one session is not.
      return event.sessionId ? [] : [one('account.sessions_revoked', { reason: event.actorId ? 'admin_revoked' : 'signed_out_everywhere' })];
    case SecurityEventType.REFRESH_TOKEN_REUSED:
      return [one('account.sessions_revoked', { reason: 'refresh_token_reused' })];
    default:
      return [];
  }
}
