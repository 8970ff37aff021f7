import { useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import { requestPasswordReset, resendOtp, resetPassword, verifyPasswordResetCode, type OtpChallenge } from '../api/operations';
import { Button, ErrorRegion, Field, ScreenTitle, ShowPassword, StepHeading } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';
import { href, Link } from '../router';

type Step = { name: 'identifier' } | { name: 'code'; challenge: OtpChallenge } | { name: 'password'; resetToken: string } | { name: 'done' };

/**
 * identifier → requestPasswordReset → code → verifyPasswordResetCode → new password →
 * resetPassword → done. Never signs the person in: the reset token is not a session
 * (contract README, Password reset).
 */
export function ResetPasswordScreen({ initialIdentifier }: { initialIdentifier?: string }) {
  const { t, locale, errorText } = useI18n();
  const [step, setStep] = useState<Step>({ name: 'identifier' });
  const [identifier, setIdentifier] = useState(initialIdentifier ?? '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [mismatch, setMismatch] = useState(false);

  const requestCode = async () => {
    const challenge = await requestPasswordReset(identifier.trim(), { locale });
    setStep({ name: 'code', challenge });
  };

  const onIdentifier = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await requestCode();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const onPassword = async (e: Event) => {
    e.preventDefault();
    if (step.name !== 'password') return;
    setError(null);
    if (password !== confirm) {
      setMismatch(true);
      document.getElementById('reset-confirm')?.focus();
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      await resetPassword(step.resetToken, password, { locale });
      setStep({ name: 'done' });
    } catch (err) {
      const apiError = asApiError(err);
      setError(apiError);
      if (apiError.code === 'PASSWORD_POLICY' || apiError.code === 'BAD_USER_INPUT') document.getElementById('reset-password')?.focus();
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    setStep({ name: 'identifier' });
    setError(null);
    setPassword('');
    setConfirm('');
  };

  let body;
  switch (step.name) {
    case 'identifier':
      body = (
        <form onSubmit={onIdentifier} noValidate>
          <p>{t.reset.stepIdentifier}</p>
          <Field id="reset-identifier" label={t.fields.identifier} value={identifier} onValue={setIdentifier} autoComplete="username" required />
          <ErrorRegion id="reset-error" message={error ? errorText(error) : null} />
          <div class="actions">
            <Button type="submit" busy={busy} disabled={identifier.trim() === ''}>
              {t.reset.sendCode}
            </Button>
          </div>
        </form>
      );
      break;
    case 'code':
      body = (
        <>
          <StepHeading>{t.reset.stepCode}</StepHeading>
          <OtpForm
            key={step.challenge.challengeId}
            id="reset-otp"
            challenge={step.challenge}
            // Unknown identifiers get the same answer with nothing sent: never claim more than that.
            sentText={t.reset.codeSent}
            submit={async (code) => {
              const ticket = await verifyPasswordResetCode(step.challenge.challengeId, code, { locale });
              setStep({ name: 'password', resetToken: ticket.resetToken });
            }}
            resend={() => resendOtp(step.challenge.challengeId, { locale })}
            restart={{ label: t.otp.startOver, run: async () => startOver() }}
          />
        </>
      );
      break;
    case 'password': {
      const passwordError = error && (error.code === 'PASSWORD_POLICY' || error.code === 'BAD_USER_INPUT') ? errorText(error) : null;
      // Any other refusal means the reset token is no longer good: only starting over helps.
      const tokenDead =
        error !== null && passwordError === null && error.code !== 'NETWORK' && error.code !== 'SERVICE_UNAVAILABLE' && error.code !== 'RATE_LIMITED';
      body = (
        <form onSubmit={onPassword} noValidate>
          <StepHeading>{t.reset.stepPassword}</StepHeading>
          <Field
            id="reset-password"
            label={t.fields.newPassword}
            hint={t.fields.passwordHint}
            type={showPassword ? 'text' : 'password'}
            value={password}
            onValue={setPassword}
            autoComplete="new-password"
            required
            error={passwordError}
          />
          <Field
            id="reset-confirm"
            label={t.fields.confirmPassword}
            type={showPassword ? 'text' : 'password'}
            value={confirm}
            onValue={(v) => {
              setConfirm(v);
              setMismatch(false);
            }}
            autoComplete="new-password"
            required
            error={mismatch ? t.reset.mismatch : null}
          />
          <ShowPassword id="reset-show-password" checked={showPassword} onChange={setShowPassword} />
          <ErrorRegion
            id="reset-error"
            message={mismatch ? t.reset.mismatch : tokenDead && error ? `${errorText(error)} ${t.reset.tokenExpired}` : error ? errorText(error) : null}
          />
          <div class="actions">
            {tokenDead ? (
              <Button onClick={startOver}>{t.otp.startOver}</Button>
            ) : (
              <Button type="submit" busy={busy} disabled={password === '' || confirm === ''}>
                {t.reset.savePassword}
              </Button>
            )}
          </div>
        </form>
      );
      break;
    }
    case 'done':
      body = (
        <div class="done">
          <StepHeading>{t.reset.doneTitle}</StepHeading>
          <p>{t.reset.doneBody}</p>
          <p class="actions">
            <Link to={href('sign-in', identifier.trim() ? { identifier: identifier.trim() } : undefined)} class="btn btn-primary">
              {t.reset.goSignIn}
            </Link>
          </p>
        </div>
      );
      break;
  }

  return (
    <section aria-labelledby="reset-title">
      <ScreenTitle title={t.reset.title}>
        <span id="reset-title">{t.reset.title}</span>
      </ScreenTitle>
      {body}
      {step.name !== 'done' ? (
        <p class="aside">
          <Link to={href('sign-in')}>{t.nav.signIn}</Link>
        </p>
      ) : null}
    </section>
  );
}
