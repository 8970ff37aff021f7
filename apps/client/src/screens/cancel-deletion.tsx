import { useState } from 'preact/hooks';
import { confirmAccountDeletionCancellation, requestAccountDeletionCancellation } from '../api/account';
import { asApiError, type ApiError } from '../api/errors';
import { resendOtp, type OtpChallenge } from '../api/operations';
import { Button, ErrorRegion, Field, ScreenTitle, StepHeading } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';
import { href, Link } from '../router';

/**
 * /app/cancel-deletion (not signed in; contract README, Account deletion): the account's email or
 * phone → requestAccountDeletionCancellation (same answer whether or not it matches) → code →
 * confirmAccountDeletionCancellation.
 */
export function CancelDeletionScreen({ initialIdentifier, scheduled }: { initialIdentifier?: string; scheduled?: string }) {
  const { t, locale, fmt, errorText } = useI18n();
  const [identifier, setIdentifier] = useState(initialIdentifier ?? '');
  const [challenge, setChallenge] = useState<OtpChallenge | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const request = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setChallenge(await requestAccountDeletionCancellation(identifier.trim(), { locale }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (done) {
    body = (
      <div class="done">
        <StepHeading>{t.cancelDeletion.done}</StepHeading>
        <p class="actions">
          <Link to={href('sign-in')} class="btn btn-primary">
            {t.reset.goSignIn}
          </Link>
        </p>
      </div>
    );
  } else if (challenge) {
    body = (
      <>
        <StepHeading>{t.reset.stepCode}</StepHeading>
        <OtpForm
          key={challenge.challengeId}
          id="cancel-otp"
          challenge={challenge}
          sentText={t.cancelDeletion.sent}
          submit={async (code) => {
            await confirmAccountDeletionCancellation(challenge.challengeId, code, { locale });
            setDone(true);
          }}
          resend={() => resendOtp(challenge.challengeId, { locale })}
          restart={{ label: t.otp.startOver, run: async () => setChallenge(null) }}
        />
      </>
    );
  } else {
    body = (
      <form onSubmit={request} noValidate>
        {scheduled ? (
          <div role="status">
            <p>
              <strong>{t.account.deleteScheduled(fmt.dateTime(scheduled))}</strong>
            </p>
            <p>{t.account.deleteScheduledBody}</p>
          </div>
        ) : null}
        <p>{t.cancelDeletion.intro}</p>
        <Field id="cancel-identifier" label={t.fields.contact} value={identifier} onValue={setIdentifier} autoComplete="username" required />
        <ErrorRegion id="cancel-error" message={error ? errorText(error) : null} />
        <div class="actions">
          <Button type="submit" busy={busy} disabled={identifier.trim() === ''}>
            {t.signIn.sendCode}
          </Button>
        </div>
      </form>
    );
  }

  return (
    <section aria-labelledby="cancel-title">
      <ScreenTitle title={t.cancelDeletion.title}>
        <span id="cancel-title">{t.cancelDeletion.title}</span>
      </ScreenTitle>
      {body}
      <p class="aside">
        <Link to={href('sign-in')}>{t.nav.signIn}</Link>
      </p>
    </section>
  );
}
