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

export interface Session {
  accessToken: string;
  expiresAt: string;
}

export interface Me {
  profile: { displayName: string | null };
  identifiers: Identifier[];
}

const CHALLENGE = 'challengeId channel destination expiresAt resendAvailableAt attemptsRemaining';

export async function signUp(
  input: { username?: string; email?: string; phone?: string; password: string; displayName?: string; locale: 'EN' | 'VI' },
  opts: RequestOptions,
): Promise<Session & { verifications: OtpChallenge[] }> {
  const data = await graphql<{ signUp: Session & { verifications: OtpChallenge[] } }>(
    `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken expiresAt verifications { ${CHALLENGE} } } }`,
    { input },
    opts,
  );
  return data.signUp;
}

export async function signIn(input: { identifier: string; password: string }, opts: RequestOptions): Promise<Session> {
  const data = await graphql<{ signIn: Session }>(
    `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken expiresAt } }`,
    { input },
    opts,
  );
  return data.signIn;
}

export async function me(opts: RequestOptions): Promise<Me> {
  const data = await graphql<{ me: Me }>(`query Me { me { profile { displayName } identifiers { id type value verified } } }`, {}, opts);
  return data.me;
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
    `mutation VerifyIdentifier($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { id type value verified } }`,
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
    `mutation VerifyPasswordResetCode($input: SubmitOtpInput!) { verifyPasswordResetCode(input: $input) { resetToken expiresAt } }`,
    { input: { challengeId, code } },
    opts,
  );
  return data.verifyPasswordResetCode;
}

export async function resetPassword(resetToken: string, newPassword: string, opts: RequestOptions): Promise<boolean> {
  const data = await graphql<{ resetPassword: { success: boolean } }>(
    `mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { success } }`,
    { input: { resetToken, newPassword } },
    opts,
  );
  return data.resetPassword.success;
}
