import { graphql, type RequestOptions } from './client';
import { CHALLENGE, PAIR, type AuthPayload, type OtpChallenge, type OtpChannel } from './operations';

/**
 * Second factor, sign-in by code and security events (contract README: Second factor, Sign-in by
 * code, Security events). Plain strings against the contract's schema: a server without these
 * fields answers GRAPHQL_VALIDATION_FAILED, which the screens treat as "not offered here".
 */

export type SecondFactorMethod = 'TOTP' | 'EMAIL' | 'SMS' | 'RECOVERY_CODE';

export interface SecondFactorStatus {
  enabled: boolean;
  methods: SecondFactorMethod[];
  recoveryCodesRemaining: number;
}

export interface TotpEnrollment {
  enrollmentId: string;
  otpauthUri: string;
  secret: string;
  expiresAt: string;
}

export interface RecoveryCodes {
  codes: string[];
  generatedAt: string;
}

export interface SecurityEvent {
  type: string;
  occurredAt: string;
  ip: string | null;
  userAgent: string | null;
  detail: string | null;
}

export interface SecurityEventPage {
  events: SecurityEvent[];
  hasNextPage: boolean;
  endCursor: string | null;
}

async function call<T>(field: string, document: string, variables: Record<string, unknown>, opts: RequestOptions): Promise<T> {
  const data = await graphql<Record<string, T>>(document, variables, opts);
  return data[field];
}

export const loadSecondFactor = (opts: RequestOptions) =>
  call<{ secondFactor: SecondFactorStatus }>('me', `query SecondFactor { me { secondFactor { enabled methods recoveryCodesRemaining } } }`, {}, opts).then(
    (m) => m.secondFactor,
  );

export async function loadSecurityEvents(after: string | null, opts: RequestOptions): Promise<SecurityEventPage> {
  const me = await call<{ securityEvents: { edges: Array<{ node: SecurityEvent }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
    'me',
    `query SecurityEvents($after: String) { me { securityEvents(first: 10, after: $after) { edges { node { type occurredAt ip userAgent detail } } pageInfo { hasNextPage endCursor } } } }`,
    { after },
    opts,
  );
  return {
    events: me.securityEvents.edges.map((e) => e.node),
    hasNextPage: me.securityEvents.pageInfo.hasNextPage,
    endCursor: me.securityEvents.pageInfo.endCursor,
  };
}

export const beginTotpEnrollment = (currentPassword: string, opts: RequestOptions) =>
  call<TotpEnrollment>(
    'beginTotpEnrollment',
    `mutation BeginTotp($input: BeginTotpEnrollmentInput!) { beginTotpEnrollment(input: $input) { enrollmentId otpauthUri secret expiresAt } }`,
    { input: { currentPassword } },
    opts,
  );

export const confirmTotpEnrollment = (enrollmentId: string, code: string, opts: RequestOptions) =>
  call<RecoveryCodes>(
    'confirmTotpEnrollment',
    `mutation ConfirmTotp($input: ConfirmTotpEnrollmentInput!) { confirmTotpEnrollment(input: $input) { codes generatedAt } }`,
    { input: { enrollmentId, code } },
    opts,
  );

export const enableCodeSecondFactor = (channel: OtpChannel, currentPassword: string, opts: RequestOptions) =>
  call<RecoveryCodes>(
    'enableCodeSecondFactor',
    `mutation EnableCode($input: EnableCodeSecondFactorInput!) { enableCodeSecondFactor(input: $input) { codes generatedAt } }`,
    { input: { channel, currentPassword } },
    opts,
  );

export const disableSecondFactor = (currentPassword: string, code: string, opts: RequestOptions) =>
  call<{ id: string }>(
    'disableSecondFactor',
    `mutation Disable($input: DisableSecondFactorInput!) { disableSecondFactor(input: $input) { id } }`,
    { input: { currentPassword, code } },
    opts,
  );

export const regenerateRecoveryCodes = (currentPassword: string, opts: RequestOptions) =>
  call<RecoveryCodes>(
    'regenerateRecoveryCodes',
    `mutation Regenerate($input: RegenerateRecoveryCodesInput!) { regenerateRecoveryCodes(input: $input) { codes generatedAt } }`,
    { input: { currentPassword } },
    opts,
  );

export const completeSignIn = (ticket: string, method: SecondFactorMethod, code: string, opts: RequestOptions) =>
  call<AuthPayload>(
    'completeSignIn',
    `mutation CompleteSignIn($input: CompleteSignInInput!) { completeSignIn(input: $input) { ${PAIR} } }`,
    { input: { ticket, method, code } },
    opts,
  );

export const requestSecondFactorCode = (ticket: string, channel: OtpChannel, opts: RequestOptions) =>
  call<OtpChallenge>(
    'requestSecondFactorCode',
    `mutation RequestSecondFactorCode($input: RequestSecondFactorCodeInput!) { requestSecondFactorCode(input: $input) { ${CHALLENGE} } }`,
    { input: { ticket, channel } },
    opts,
  );

export const requestSignInCode = (identifier: string, opts: RequestOptions) =>
  call<OtpChallenge>(
    'requestSignInCode',
    `mutation RequestSignInCode($input: RequestSignInCodeInput!) { requestSignInCode(input: $input) { ${CHALLENGE} } }`,
    { input: { identifier } },
    opts,
  );

export const signInWithCode = (challengeId: string, code: string, opts: RequestOptions) =>
  call<AuthPayload>(
    'signInWithCode',
    `mutation SignInWithCode($input: SubmitOtpInput!) { signInWithCode(input: $input) { ${PAIR} } }`,
    { input: { challengeId, code } },
    opts,
  );
