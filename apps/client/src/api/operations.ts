import { graphql, type RequestOptions } from './client';

/** The contract's operations this app uses (../shared/contract/schema.graphql). */

export type IdentifierType = 'USERNAME' | 'EMAIL' | 'PHONE';
export type OtpChannel = 'EMAIL' | 'SMS';

export interface Identifier {
  id: string;
  type: IdentifierType;
  value: string;
  verified: boolean;
}

export interface OtpChallenge {
  challengeId: string;
  channel?: OtpChannel;
  destination?: string;
  expiresAt?: string;
  resendAvailableAt?: string;
  attemptsRemaining?: number;
}

/** What every authentication returns (contract README, Sessions). */
export interface AuthPayload {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionId: string;
}

export const CHALLENGE = 'challengeId channel destination expiresAt resendAvailableAt attemptsRemaining';
export const PAIR = 'accessToken expiresAt refreshToken refreshTokenExpiresAt sessionId';

export async function signUp(
  input: { username?: string; email?: string; phone?: string; password: string; displayName?: string; locale: 'EN' | 'VI' },
  opts: RequestOptions,
): Promise<AuthPayload & { verifications: OtpChallenge[] }> {
  const data = await graphql<{ signUp: AuthPayload & { verifications: OtpChallenge[] } }>(
    `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${PAIR} verifications { ${CHALLENGE} } } }`,
    { input },
    opts,
  );
  return data.signUp;
}

export async function signIn(input: { identifier: string; password: string }, opts: RequestOptions): Promise<AuthPayload> {
  const data = await graphql<{ signIn: AuthPayload }>(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${PAIR} } }`, { input }, opts);
  return data.signIn;
}

export async function refreshSession(refreshToken: string, opts: RequestOptions): Promise<AuthPayload> {
  const data = await graphql<{ refreshSession: AuthPayload }>(
    `mutation RefreshSession($token: String!) { refreshSession(refreshToken: $token) { ${PAIR} } }`,
    { token: refreshToken },
    opts,
  );
  return data.refreshSession;
}

export async function signOut(opts: RequestOptions): Promise<boolean> {
  const data = await graphql<{ signOut: boolean }>(
    `
      mutation SignOut {
        signOut
      }
    `,
    {},
    opts,
  );
  return data.signOut;
}

export async function requestIdentifierVerification(identifierId: string, opts: RequestOptions): Promise<OtpChallenge> {
  const data = await graphql<{ requestIdentifierVerification: OtpChallenge }>(
    `mutation RequestVerification($id: ID!) { requestIdentifierVerification(identifierId: $id) { ${CHALLENGE} } }`,
    { id: identifierId },
    opts,
  );
  return data.requestIdentifierVerification;
}

export async function verifyIdentifier(challengeId: string, code: string, opts: RequestOptions): Promise<Identifier> {
  const data = await graphql<{ verifyIdentifier: Identifier }>(
    `
      mutation VerifyIdentifier($input: SubmitOtpInput!) {
        verifyIdentifier(input: $input) {
          id
          type
          value
          verified
        }
      }
    `,
    { input: { challengeId, code } },
    opts,
  );
  return data.verifyIdentifier;
}

export async function resendOtp(challengeId: string, opts: RequestOptions): Promise<OtpChallenge> {
  const data = await graphql<{ resendOtp: OtpChallenge }>(
    `mutation ResendOtp($id: ID!) { resendOtp(challengeId: $id) { ${CHALLENGE} } }`,
    { id: challengeId },
    opts,
  );
  return data.resendOtp;
}

export async function requestPasswordReset(identifier: string, opts: RequestOptions): Promise<OtpChallenge> {
  const data = await graphql<{ requestPasswordReset: OtpChallenge }>(
    `mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { ${CHALLENGE} } }`,
    { input: { identifier } },
    opts,
  );
  return data.requestPasswordReset;
}

export async function verifyPasswordResetCode(challengeId: string, code: string, opts: RequestOptions): Promise<{ resetToken: string; expiresAt: string }> {
  const data = await graphql<{ verifyPasswordResetCode: { resetToken: string; expiresAt: string } }>(
    `
      mutation VerifyPasswordResetCode($input: SubmitOtpInput!) {
        verifyPasswordResetCode(input: $input) {
          resetToken
          expiresAt
        }
      }
    `,
    { input: { challengeId, code } },
    opts,
  );
  return data.verifyPasswordResetCode;
}

export async function resetPassword(resetToken: string, newPassword: string, opts: RequestOptions): Promise<boolean> {
  const data = await graphql<{ resetPassword: { success: boolean } }>(
    `
      mutation ResetPassword($input: ResetPasswordInput!) {
        resetPassword(input: $input) {
          success
        }
      }
    `,
    { input: { resetToken, newPassword } },
    opts,
  );
  return data.resetPassword.success;
}
