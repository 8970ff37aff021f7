import { graphql, type RequestOptions } from './client';
import { CHALLENGE, PAIR, type AuthPayload, type Identifier, type IdentifierType, type OtpChallenge, type OtpChannel } from './operations';

/** The signed-in account's operations (contract README: Linking, Sessions, Account deletion). */

export type LocaleCode = 'EN' | 'VI';

export interface AccountIdentifier extends Identifier {
  primary: boolean;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  authMethods: string[];
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface DeletionRequest {
  id: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'COMPLETED';
  scheduledFor: string | null;
}

export interface Account {
  id: string;
  profile: { displayName: string | null; firstName: string | null; lastName: string | null };
  settings: { locale: LocaleCode; timezone: string; emailNotifications: boolean; smsNotifications: boolean };
  identifiers: AccountIdentifier[];
  deletionRequest: DeletionRequest | null;
  sessions: SessionInfo[];
}

const IDENTIFIER = 'id type value verified primary';
const PROFILE = 'profile { displayName firstName lastName } settings { locale timezone emailNotifications smsNotifications }';
const SESSION = 'id createdAt lastUsedAt expiresAt authMethods ip userAgent current';

/** One root field's answer. */
async function call<T>(field: string, document: string, variables: Record<string, unknown>, opts: RequestOptions): Promise<T> {
  const data = await graphql<Record<string, T>>(document, variables, opts);
  return data[field];
}

export const loadAccount = (opts: RequestOptions) =>
  call<Account>(
    'me',
    `query Account { me { id ${PROFILE} identifiers { ${IDENTIFIER} } deletionRequest { id status scheduledFor } sessions { ${SESSION} } } }`,
    {},
    opts,
  );

export const updateProfile = (input: { displayName?: string | null; firstName?: string | null; lastName?: string | null }, opts: RequestOptions) =>
  call<Pick<Account, 'profile' | 'settings'>>(
    'updateProfile',
    `mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ${PROFILE} } }`,
    { input },
    opts,
  );

export const updateSettings = (input: Partial<Account['settings']>, opts: RequestOptions) =>
  call<Pick<Account, 'profile' | 'settings'>>(
    'updateSettings',
    `mutation UpdateSettings($input: UpdateSettingsInput!) { updateSettings(input: $input) { ${PROFILE} } }`,
    { input },
    opts,
  );

export const changePassword = (input: { currentPassword: string; newPassword: string }, opts: RequestOptions) =>
  call<AuthPayload>('changePassword', `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${PAIR} } }`, { input }, opts);

export const requestIdentifierLink = (input: { type: IdentifierType; value: string; currentPassword: string }, opts: RequestOptions) =>
  call<OtpChallenge>(
    'requestIdentifierLink',
    `mutation Link($input: LinkIdentifierInput!) { requestIdentifierLink(input: $input) { ${CHALLENGE} } }`,
    { input },
    opts,
  );

export const confirmIdentifierLink = (challengeId: string, code: string, opts: RequestOptions) =>
  call<AccountIdentifier>(
    'confirmIdentifierLink',
    `mutation ConfirmLink($input: SubmitOtpInput!) { confirmIdentifierLink(input: $input) { ${IDENTIFIER} } }`,
    { input: { challengeId, code } },
    opts,
  );

export const requestContactChange = (input: { type: IdentifierType; newValue: string; currentPassword: string }, opts: RequestOptions) =>
  call<OtpChallenge>(
    'requestContactChange',
    `mutation Change($input: ChangeContactInput!) { requestContactChange(input: $input) { ${CHALLENGE} } }`,
    { input },
    opts,
  );

export const confirmContactChange = (challengeId: string, code: string, opts: RequestOptions) =>
  call<AuthPayload>(
    'confirmContactChange',
    `mutation ConfirmChange($input: SubmitOtpInput!) { confirmContactChange(input: $input) { ${PAIR} } }`,
    { input: { challengeId, code } },
    opts,
  );

export const removeIdentifier = (identifierId: string, opts: RequestOptions) =>
  call<{ identifiers: AccountIdentifier[] }>(
    'removeIdentifier',
    `mutation Remove($id: ID!) { removeIdentifier(identifierId: $id) { identifiers { ${IDENTIFIER} } } }`,
    { id: identifierId },
    opts,
  );

export const revokeSession = (sessionId: string, opts: RequestOptions) =>
  call<boolean>('revokeSession', `mutation RevokeSession($id: ID!) { revokeSession(sessionId: $id) }`, { id: sessionId }, opts);

export const signOutEverywhere = (opts: RequestOptions) => call<number>('signOutEverywhere', `mutation SignOutEverywhere { signOutEverywhere }`, {}, opts);

export const requestAccountDeletion = (input: { reason?: string; currentPassword: string; channel?: OtpChannel }, opts: RequestOptions) =>
  call<OtpChallenge>(
    'requestAccountDeletion',
    `mutation RequestDeletion($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { ${CHALLENGE} } }`,
    { input },
    opts,
  );

export const confirmAccountDeletion = (challengeId: string, code: string, opts: RequestOptions) =>
  call<DeletionRequest>(
    'confirmAccountDeletion',
    `mutation ConfirmDeletion($input: SubmitOtpInput!) { confirmAccountDeletion(input: $input) { id status scheduledFor } }`,
    { input: { challengeId, code } },
    opts,
  );

export const requestAccountDeletionCancellation = (identifier: string, opts: RequestOptions) =>
  call<OtpChallenge>(
    'requestAccountDeletionCancellation',
    `mutation RequestCancel($input: CancelAccountDeletionInput!) { requestAccountDeletionCancellation(input: $input) { ${CHALLENGE} } }`,
    { input: { identifier } },
    opts,
  );

export const confirmAccountDeletionCancellation = (challengeId: string, code: string, opts: RequestOptions) =>
  call<DeletionRequest>(
    'confirmAccountDeletionCancellation',
    `mutation ConfirmCancel($input: SubmitOtpInput!) { confirmAccountDeletionCancellation(input: $input) { id status scheduledFor } }`,
    { input: { challengeId, code } },
    opts,
  );
