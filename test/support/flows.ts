import type { Channel } from '@app/core';
import {
  ACCOUNT_FIELDS,
  AUTH_PAYLOAD_FIELDS,
  CHALLENGE_FIELDS,
  expectOk,
  gql,
  Identifier,
  IDENTIFIER_FIELDS,
  OtpChallenge,
  SignUpInput,
  signUp,
  SignUpPayload,
  TestStack,
} from '@app/testing';

/** Documents and small helpers shared by the code, reset, contact and admin suites (not a test file). */

export const VERIFY_IDENTIFIER = `mutation VerifyIdentifier($input: SubmitOtpInput!) {
  verifyIdentifier(input: $input) { ${IDENTIFIER_FIELDS} }
}`;
export const REQUEST_VERIFICATION = `mutation RequestVerification($id: ID!) {
  requestIdentifierVerification(identifierId: $id) { ${CHALLENGE_FIELDS} }
}`;
export const RESEND_OTP = `mutation ResendOtp($id: ID!) { resendOtp(challengeId: $id) { ${CHALLENGE_FIELDS} } }`;
export const REQUEST_PASSWORD_RESET = `mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { ${CHALLENGE_FIELDS} }
}`;
export const VERIFY_RESET_CODE = `mutation VerifyPasswordResetCode($input: SubmitOtpInput!) {
  verifyPasswordResetCode(input: $input) { resetToken expiresAt }
}`;
export const RESET_PASSWORD = `mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { success } }`;
export const REQUEST_LINK = `mutation RequestIdentifierLink($input: LinkIdentifierInput!) {
  requestIdentifierLink(input: $input) { ${CHALLENGE_FIELDS} }
}`;
export const CONFIRM_LINK = `mutation ConfirmIdentifierLink($input: SubmitOtpInput!) {
  confirmIdentifierLink(input: $input) { ${IDENTIFIER_FIELDS} }
}`;
export const REQUEST_CHANGE = `mutation RequestContactChange($input: ChangeContactInput!) {
  requestContactChange(input: $input) { ${CHALLENGE_FIELDS} }
}`;
export const CONFIRM_CHANGE = `mutation ConfirmContactChange($input: SubmitOtpInput!) {
  confirmContactChange(input: $input) { ${AUTH_PAYLOAD_FIELDS} }
}`;
export const REMOVE_IDENTIFIER = `mutation RemoveIdentifier($id: ID!) { removeIdentifier(identifierId: $id) { ${ACCOUNT_FIELDS} } }`;
export const SIGN_IN_TOKEN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken account { id } } }`;

export function challengeFor(p: { verifications: OtpChallenge[] }, channel: Channel): OtpChallenge {
  const found = p.verifications.find((v) => v.channel === channel);
  if (!found) throw new Error(`no ${channel} challenge in ${JSON.stringify(p.verifications)}`);
  return found;
}

/** A code of the same length that is not `code`. */
export function wrongCode(code: string): string {
  const n = (Number(code) + 1) % 10 ** code.length;
  return String(n).padStart(code.length, '0');
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export type Person = SignUpPayload & { password: string; token: string; email?: string; phone?: string };

/**
 * Signs up with the given email / phone and verifies each with the code read from the sinks.
 * Returns the sign-up payload, with `token` the sign-up token (still valid: verification issues none).
 */
export async function signUpVerified(stack: TestStack, input: Partial<SignUpInput>): Promise<Person> {
  const p = await signUp(stack.app, input);
  for (const v of p.verifications) {
    const code = v.channel === 'EMAIL' ? await stack.smtp.waitForCode(input.email!.toLowerCase()) : await stack.sms.waitForCode(input.phone!);
    const res = await gql<{ verifyIdentifier: Identifier }>(stack.app, VERIFY_IDENTIFIER, { input: { challengeId: v.challengeId, code } });
    expect(expectOk(res).verifyIdentifier.verified).toBe(true);
  }
  return { ...p, token: p.accessToken, email: input.email?.toLowerCase(), phone: input.phone };
}

/** Matches `needle` standing on its own (not inside a longer run of word characters). */
export function standalone(needle: string): RegExp {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`);
}

/** Seconds between two ISO instants. @public a helper for the suites (none uses it right now). */
export function secondsBetween(fromMs: number, iso: string): number {
  return (new Date(iso).getTime() - fromMs) / 1000;
}
