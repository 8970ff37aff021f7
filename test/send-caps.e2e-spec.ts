import { expectErrorCode, expectNoInternalLeaks, expectOk, gql, signUp, startStack, stopAllApps, TestStack, uniqueEmail, uniquePhone } from '@app/testing';
import { REQUEST_PASSWORD_RESET } from './support/flows';

// Contract README: Abuse limits (code sends per IP (/64) and channel at most
// OTP_MAX_SENDS_PER_IP_PER_HOUR, decoys counted the same; SMS_MAX_PER_HOUR counts real SMS, and
// once reached every SMS code request, real or decoy, is RATE_LIMITED).

jest.setTimeout(120_000);

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ name: 'send-caps', env: { OTP_MAX_SENDS_PER_IP_PER_HOUR: '3', SMS_MAX_PER_HOUR: '2' } });
}, 90_000);

afterAll(async () => {
  expectNoInternalLeaks();
  await stack?.stop();
  await stopAllApps();
});

const reset = (identifier: string) => gql(stack.app, REQUEST_PASSWORD_RESET, { input: { identifier } });

it('per IP and channel: decoys count like real sends; another channel has its own budget', async () => {
  // Unknown emails: decoy answers, nothing sent, yet each counts.
  for (let i = 0; i < 3; i++) expectOk(await reset(uniqueEmail('cap')));
  const limited = expectErrorCode(await reset(uniqueEmail('cap')), 'RATE_LIMITED');
  expect(limited.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  expect(stack.smtp.messages()).toHaveLength(0);
});

it('SMS_MAX_PER_HOUR: once real SMS reach it, every SMS code request (a decoy too) is RATE_LIMITED', async () => {
  // Two real SMS: the sign-ups' verification codes.
  for (let i = 0; i < 2; i++) {
    const phone = uniquePhone();
    const p = await signUp(stack.app, { phone });
    expect(p.verifications).toHaveLength(1);
    await stack.sms.waitForCode(phone);
  }
  // A third sign-up still succeeds (the account is created) but no code goes out…
  const third = await signUp(stack.app, { phone: uniquePhone() });
  expect(third.verifications).toHaveLength(0);
  // …and a decoy (an unknown phone) is refused like a real request.
  expectErrorCode(await reset(uniquePhone()), 'RATE_LIMITED');
  expect(stack.sms.messages()).toHaveLength(2);
});
