import { useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import { resendOtp, signIn, verifyIdentifier, type OtpChallenge, type Session } from '../api/operations';
import { Button, ErrorRegion, Field, ScreenTitle, ShowPassword } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';
import { href, Link, navigate } from '../router';

/**
 * Sign-in. With the right password on an unverified identifier the service answers
 * IDENTIFIER_NOT_VERIFIED with a challenge (`extensions.challengeId`) whose code went to that
 * identifier; `verifyIdentifier` accepts it without a session, after which we sign in again with
 * the password still in this form (contract README, Sign-in).
 */
export function SignInScreen({ onSession, initialIdentifier }: { onSession: (session: Session) => void; initialIdentifier?: string }) {
  const { t, locale, errorText } = useI18n();
  const [identifier, setIdentifier] = useState(initialIdentifier ?? '');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [challenge, setChallenge] = useState<OtpChallenge | null>(null);

  const attempt = async () => {
    const session = await signIn({ identifier: identifier.trim(), password }, { locale });
    onSession(session);
    navigate(href('verify'));
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await attempt();
    } catch (err) {
      const apiError = asApiError(err);
      if (apiError.code === 'IDENTIFIER_NOT_VERIFIED' && apiError.extensions.challengeId) {
        setChallenge({ challengeId: apiError.extensions.challengeId });
      } else {
        setError(apiError);
      }
    } finally {
      setBusy(false);
    }
  };

  if (challenge) {
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
          submit={async (code) => {
            await verifyIdentifier(challenge.challengeId, code, { locale });
            // The code is used up now: whatever sign-in answers next belongs to the password form.
            try {
              await attempt();
            } catch (err) {
              setChallenge(null);
              setError(asApiError(err));
            }
          }}
          resend={() => resendOtp(challenge.challengeId, { locale })}
          restart={{
            label: t.otp.startOver,
            run: async () => {
              setChallenge(null);
              setPassword('');
            },
          }}
        />
      </section>
    );
  }

  const fieldError = error && error.code === 'BAD_USER_INPUT' ? errorText(error) : null;
  return (
    <section aria-labelledby="sign-in-title">
      <ScreenTitle title={t.signIn.title}>
        <span id="sign-in-title">{t.signIn.title}</span>
      </ScreenTitle>
      <form onSubmit={onSubmit} noValidate>
        <Field
          id="sign-in-identifier"
          label={t.fields.identifier}
          value={identifier}
          onValue={setIdentifier}
          autoComplete="username"
          required
          error={error?.extensions.field === 'identifier' ? fieldError : null}
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
        <ErrorRegion id="sign-in-error" message={error ? errorText(error) : null} />
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
        {t.signIn.noAccount} <Link to={href('sign-up')}>{t.nav.signUp}</Link>
      </p>
    </section>
  );
}
