import { randomBytes, randomInt } from 'node:crypto';
import type { Channel } from '@app/core';
import { expectOk, gql, GqlOptions } from './graphql-client';

/** Test data and thin wrappers over the contract's sign-up / sign-in mutations. */

let counter = 0;
const runTag = randomBytes(3).toString('hex');
let phoneSeq = randomInt(0, 9_000_000);

/** Lower-case, 3–32 chars of [a-z0-9._-], never shaped like an email or a phone number. */
export function uniqueUsername(prefix = 'u'): string {
  counter += 1;
  return `${prefix}_${runTag}${counter.toString(36)}${randomBytes(2).toString('hex')}`.slice(0, 32);
}

export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${runTag}${counter.toString(36)}${randomBytes(2).toString('hex')}@example.com`;
}

/** A valid Vietnamese mobile number in E.164 (+84 90x xxx xxx), unique within this run. */
export function uniquePhone(): string {
  phoneSeq = (phoneSeq + 1 + randomInt(0, 50)) % 10_000_000;
  return `+8490${String(phoneSeq).padStart(7, '0')}`;
}

/** The same number written nationally (0901234567). */
export function nationalVnPhone(e164: string): string {
  if (!e164.startsWith('+84')) throw new Error(`not a Vietnamese E.164 number: ${e164}`);
  return `0${e164.slice(3)}`;
}

/** 20 characters, mixed classes, random: never common, never equal to an identifier. */
export function strongPassword(): string {
  return `Gh!${randomBytes(12).toString('base64url')}9z`;
}

export const PROFILE_FIELDS = `displayName firstName lastName`;
export const SETTINGS_FIELDS = `locale timezone emailNotifications smsNotifications`;
export const IDENTIFIER_FIELDS = `id type value verified verifiedAt primary createdAt`;
export const ACCOUNT_FIELDS = `
  id status roles merchantId passwordChangedAt createdAt updatedAt
  organization { id name }
  profile { ${PROFILE_FIELDS} }
  settings { ${SETTINGS_FIELDS} }
  identifiers { ${IDENTIFIER_FIELDS} }
`;
export const CHALLENGE_FIELDS = `challengeId purpose channel destination expiresAt resendAvailableAt attemptsRemaining`;
export const AUTH_PAYLOAD_FIELDS = `accessToken tokenType expiresAt refreshToken refreshTokenExpiresAt sessionId account { ${ACCOUNT_FIELDS} }`;

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { ${AUTH_PAYLOAD_FIELDS} verifications { ${CHALLENGE_FIELDS} } }
}`;
export const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
export const ME = `query Me { me { ${ACCOUNT_FIELDS} } }`;

export type IdentifierType = 'USERNAME' | 'EMAIL' | 'PHONE';

export interface Identifier {
  id: string;
  type: IdentifierType;
  value: string;
  verified: boolean;
  verifiedAt: string | null;
  primary: boolean;
  createdAt: string;
}

export interface Account {
  id: string;
  status: string;
  roles: string[];
  merchantId: string | null;
  passwordChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
  organization: { id: string; name: string } | null;
  profile: { displayName: string | null; firstName: string | null; lastName: string | null };
  settings: { locale: 'EN' | 'VI'; timezone: string; emailNotifications: boolean; smsNotifications: boolean };
  identifiers: Identifier[];
}

export interface OtpChallenge {
  challengeId: string;
  purpose: string;
  channel: Channel;
  destination: string;
  expiresAt: string;
  resendAvailableAt: string;
  attemptsRemaining: number;
}

export interface AuthPayload {
  accessToken: string;
  tokenType: string;
  expiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionId: string;
  account: Account;
}

export interface SignUpPayload extends AuthPayload {
  verifications: OtpChallenge[];
}

export interface SignUpInput {
  username?: string;
  email?: string;
  phone?: string;
  password: string;
  displayName?: string;
  firstName?: string;
  lastName?: string;
  locale?: 'EN' | 'VI';
  timezone?: string;
  organizationName?: string;
}

type Target = string | { graphqlUrl: string };

/** Signs up (a fresh username and a strong password unless given); throws with the errors on failure. */
export async function signUp(app: Target, input: Partial<SignUpInput> = {}, opts?: GqlOptions): Promise<SignUpPayload & { password: string }> {
  const full: SignUpInput = { ...input, password: input.password ?? strongPassword() };
  if (!('username' in input)) full.username = uniqueUsername();
  const res = await gql<{ signUp: SignUpPayload }>(app, SIGN_UP, { input: full }, opts);
  return { ...expectOk(res).signUp, password: full.password };
}

export async function signIn(app: Target, identifier: string, password: string, identifierType?: IdentifierType, opts?: GqlOptions): Promise<AuthPayload> {
  const input: Record<string, unknown> = { identifier, password };
  if (identifierType) input.identifierType = identifierType;
  const res = await gql<{ signIn: AuthPayload }>(app, SIGN_IN, { input }, opts);
  return expectOk(res).signIn;
}

export async function me(app: Target, token: string): Promise<Account> {
  return expectOk(await gql<{ me: Account }>(app, ME, undefined, { token })).me;
}

export function identifierOf(account: Account, type: IdentifierType): Identifier | undefined {
  return account.identifiers.find((i) => i.type === type);
}

/** Turns ASCII into its full-width form (ＡＬＩＣＥ), which NFKC maps back. */
export function fullWidth(ascii: string): string {
  return [...ascii]
    .map((ch) => {
      const c = ch.charCodeAt(0);
      return c >= 0x21 && c <= 0x7e ? String.fromCharCode(c + 0xfee0) : ch;
    })
    .join('');
}
