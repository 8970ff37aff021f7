import { useEffect, useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import { resendOtp, signIn, verifyIdentifier, type AuthPayload, type OtpChallenge } from '../api/operations';
import { requestSignInCode, signInWithCode, type SecondFactorMethod } from '../api/security';
import { Button, ErrorRegion, Field, ScreenTitle, ShowPassword, StepHeading } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';
import { allowedReturnTo } from '../lib/return-to';
import { href, Link, navigate } from '../router';
import { SecondStep, type SecondStepTicket } from './second-step';

type Mode =
  | { name: 'password' }
  | { name: 'verify'; challenge: OtpChallenge }
  | { name: 'code' }
  | { name: 'code-sent'; challenge: OtpChallenge }
  | { name: 'second'; ticket: SecondStepTicket };

/** The challenge an error hands back, with whatever facts about it the error carries. */
function challengeOf(err: ApiError): OtpChallenge | null {
  const x = err.extensions;
  if (!x.challengeId) return null;
  return { challengeId: x.challengeId, destination: x.destination, expiresAt: x.expiresAt, resendAvailableAt: x.resendAvailableAt };
}

/**
 * Sign-in (contract README: Sign-in, Second factor, Sign-in by code). With the right password on
 * an unverified identifier the service answers IDENTIFIER_NOT_VERIFIED with a challenge whose code
 * went to that identifier; `verifyIdentifier` accepts it without a session, after which we sign in
 * again with the password still in this form. SECOND_FACTOR_REQUIRED leads to the second step.
 */
export function SignInScreen({
  onSession,
  initialIdentifier,
  returnTo,
}: {
  onSession: (payload: AuthPayload) => void;
  initialIdentifier?: string;
  returnTo: string | null;
}) {
  const { t, locale, errorText } = useI18n();
  const [identifier, setIdentifier] = useState(initialIdentifier ?? '');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [mode, setMode] = useState<Mode>({ name: 'password' });
  const [returnUrl, setReturnUrl] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void allowedReturnTo(returnTo).then((url) => live && setReturnUrl(url));
    return () => {
      live = false;
    };
  }, [returnTo]);

  const finish = async (payload: AuthPayload) => {
    onSession(payload);
    // Checked again now: the list is the server's, and only a listed origin is followed.
    const back = await allowedReturnTo(returnTo);
    if (back) window.location.assign(back);
    else navigate(href('account'), { replace: true });
  };

  /** Errors every way of signing in can meet: the second step, and the rest shown on the form. */
  const onRefused = (apiError: ApiError, back: Mode = { name: 'password' }) => {
    if (apiError.code === 'SECOND_FACTOR_REQUIRED' && apiError.extensions.ticket) {
      const challenge = challengeOf(apiError);
      if (challenge && !challenge.channel)
        challenge.channel = apiError.extensions.methods?.includes('SMS') && !apiError.extensions.methods.includes('EMAIL') ? 'SMS' : 'EMAIL';
      setMode({
        name: 'second',
        ticket: { ticket: apiError.extensions.ticket, methods: (apiError.extensions.methods ?? []) as SecondFactorMethod[], challenge },
      });
      return;
    }
    setMode(back);
    setError(apiError);
  };

  const attempt = async () => finish(await signIn({ identifier: identifier.trim(), password }, { locale }));

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await attempt();
    } catch (err) {
      const apiError = asApiError(err);
      const challenge = apiError.code === 'IDENTIFIER_NOT_VERIFIED' ? challengeOf(apiError) : null;
      if (challenge) setMode({ name: 'verify', challenge });
      else onRefused(apiError);
    } finally {
      setBusy(false);
    }
  };

  const onRequestCode = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMode({ name: 'code-sent', challenge: await requestSignInCode(identifier.trim(), { locale }) });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const toPassword = () => {
    setMode({ name: 'password' });
    setError(null);
  };
  const differentAccount = () => {
    setMode({ name: 'password' });
    setIdentifier('');
    setPassword('');
    setError(null);
  };

  const pendingDeletion = error?.code === 'ACCOUNT_PENDING_DELETION';
  const errorBlock = (
    <>
      <ErrorRegion id="sign-in-error" message={error && error.code !== 'BAD_USER_INPUT' ? errorText(error) : null} />
      {pendingDeletion ? (
        <p>
          <Link to={href('cancel-deletion', identifier.includes('@') || /\d{6}/.test(identifier) ? { identifier: identifier.trim() } : undefined)}>
            {t.signIn.cancelDeletion}
          </Link>
        </p>
      ) : null}
    </>
  );

  if (mode.name === 'verify') {
    const { challenge } = mode;
    return (
      <section aria-labelledby="sign-in-verify-title">
        <ScreenTitle title={t.signIn.notVerifiedTitle}>
          <span id="sign-in-verify-title">{t.signIn.notVerifiedTitle}</span>
        </ScreenTitle>
        <p>{t.signIn.notVerifiedBody}</p>
        <OtpForm
          key={challenge.challengeId}
          id="sign-in-otp"
          challenge={challenge}
          // The error carries the challenge's masked destination; without one, the value the person typed is where it went.
          sentText={challenge.destination ? undefined : t.signIn.notVerifiedSentTo(identifier.trim())}
          submit={async (code) => {
            await verifyIdentifier(challenge.challengeId, code, { locale });
            // The code is used up now: whatever sign-in answers next belongs to the password form.
            try {
              await attempt();
            } catch (err) {
              onRefused(asApiError(err));
            }
          }}
          resend={() => resendOtp(challenge.challengeId, { locale })}
          restart={{
            label: t.verify.sendNewCode,
            // Signing in again hands out a new challenge for the same identifier (after the cool-down).
            run: async () => {
              try {
                await attempt();
              } catch (err) {
                const apiError = asApiError(err);
                const next = apiError.code === 'IDENTIFIER_NOT_VERIFIED' ? challengeOf(apiError) : null;
                if (next && next.challengeId !== challenge.challengeId) setMode({ name: 'verify', challenge: next });
                else if (next) throw new ApiError({ code: 'OTP_RESEND_COOLDOWN' });
                else throw apiError;
              }
            },
          }}
        />
        <div class="actions">
          <Button variant="secondary" onClick={toPassword}>
            {t.common.back}
          </Button>
          <Button variant="link" onClick={differentAccount}>
            {t.signIn.differentAccount}
          </Button>
        </div>
      </section>
    );
  }

  if (mode.name === 'second') {
    return (
      <section aria-labelledby="sign-in-second-title">
        <ScreenTitle title={t.signIn.secondStepTitle}>
          <span id="sign-in-second-title">{t.signIn.secondStepTitle}</span>
        </ScreenTitle>
        <SecondStep ticket={mode.ticket} onDone={(payload) => void finish(payload)} onCancel={differentAccount} />
      </section>
    );
  }

  if (mode.name === 'code' || mode.name === 'code-sent') {
    return (
      <section aria-labelledby="sign-in-code-title">
        <ScreenTitle title={t.signIn.codeTitle}>
          <span id="sign-in-code-title">{t.signIn.codeTitle}</span>
        </ScreenTitle>
        {mode.name === 'code' ? (
          <form onSubmit={onRequestCode} noValidate>
            <p>{t.signIn.codeIntro}</p>
            <Field id="sign-in-code-identifier" label={t.fields.identifier} value={identifier} onValue={setIdentifier} autoComplete="username" required />
            {errorBlock}
            <div class="actions">
              <Button type="submit" busy={busy} disabled={identifier.trim() === ''}>
                {t.signIn.sendCode}
              </Button>
            </div>
          </form>
        ) : (
          <>
            <StepHeading>{t.reset.stepCode}</StepHeading>
            <OtpForm
              key={mode.challenge.challengeId}
              id="sign-in-code-otp"
              challenge={mode.challenge}
              sentText={t.signIn.codeSent}
              submit={async (code) => {
                try {
                  await finish(await signInWithCode(mode.challenge.challengeId, code, { locale }));
                } catch (err) {
                  const apiError = asApiError(err);
                  if (apiError.code === 'SECOND_FACTOR_REQUIRED' || apiError.code === 'ACCOUNT_PENDING_DELETION') onRefused(apiError, { name: 'code' });
                  else throw apiError;
                }
              }}
              resend={() => resendOtp(mode.challenge.challengeId, { locale })}
              restart={{ label: t.otp.startOver, run: async () => setMode({ name: 'code' }) }}
            />
          </>
        )}
        <div class="actions">
          <Button variant="link" onClick={toPassword}>
            {t.signIn.withPassword}
          </Button>
        </div>
      </section>
    );
  }

  const fieldError = error && error.code === 'BAD_USER_INPUT' ? errorText(error) : null;
  return (
    <section aria-labelledby="sign-in-title">
      <ScreenTitle title={t.signIn.title}>
        <span id="sign-in-title">{t.signIn.title}</span>
      </ScreenTitle>
      {returnUrl ? <p class="hint">{t.signIn.returnTo(new URL(returnUrl).origin)}</p> : null}
      <form onSubmit={onSubmit} noValidate>
        <Field
          id="sign-in-identifier"
          label={t.fields.identifier}
          value={identifier}
          onValue={setIdentifier}
          autoComplete="username"
          required
          error={error?.extensions.field !== 'password' ? fieldError : null}
        />
        <Field
          id="sign-in-password"
          label={t.fields.password}
          type={showPassword ? 'text' : 'password'}
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
          error={error?.extensions.field === 'password' ? fieldError : null}
        />
        <ShowPassword id="sign-in-show-password" checked={showPassword} onChange={setShowPassword} />
        {errorBlock}
        <div class="actions">
          <Button type="submit" busy={busy}>
            {t.signIn.submit}
          </Button>
          <Link to={href('reset-password', identifier.trim() ? { identifier: identifier.trim() } : undefined)} class="btn btn-link">
            {t.nav.resetPassword}
          </Link>
        </div>
      </form>
      <p class="aside">
        <button type="button" class="btn btn-link" onClick={() => (setMode({ name: 'code' }), setError(null))}>
          {t.signIn.withCode}
        </button>
      </p>
      <p class="aside">
        {t.signIn.noAccount} <Link to={href('sign-up')}>{t.nav.signUp}</Link>
      </p>
    </section>
  );
}
