import { useState } from 'preact/hooks';
import { asApiError } from '../api/errors';
import { resendOtp, type AuthPayload, type OtpChallenge } from '../api/operations';
import { completeSignIn, requestSecondFactorCode, type SecondFactorMethod } from '../api/security';
import { Button, ErrorRegion, StepHeading } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';

export interface SecondStepTicket {
  ticket: string;
  methods: SecondFactorMethod[];
  challenge: OtpChallenge | null;
}

/**
 * The second step of a sign-in (contract README, Second factor): SECOND_FACTOR_REQUIRED hands a
 * ticket and the offered methods; EMAIL / SMS may come with the code already sent. The person
 * can switch between the offered methods; completeSignIn returns the session.
 */
export function SecondStep({ ticket, onDone, onCancel }: { ticket: SecondStepTicket; onDone: (payload: AuthPayload) => void; onCancel: () => void }) {
  const { t, locale, errorText } = useI18n();
  const first: SecondFactorMethod = ticket.challenge ? (ticket.challenge.channel === 'SMS' ? 'SMS' : 'EMAIL') : (ticket.methods[0] ?? 'TOTP');
  const [method, setMethod] = useState<SecondFactorMethod>(first);
  const [challenges, setChallenges] = useState<Partial<Record<SecondFactorMethod, OtpChallenge>>>(ticket.challenge ? { [first]: ticket.challenge } : {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof asApiError> | null>(null);
  const label: Record<SecondFactorMethod, string> = {
    TOTP: t.signIn.methodTotp,
    EMAIL: t.signIn.methodEmail,
    SMS: t.signIn.methodSms,
    RECOVERY_CODE: t.signIn.methodRecovery,
  };
  const challenge = challenges[method];
  const byCode = method === 'EMAIL' || method === 'SMS';

  const sendCode = async () => {
    setBusy(true);
    setError(null);
    try {
      const sent = await requestSecondFactorCode(ticket.ticket, method === 'SMS' ? 'SMS' : 'EMAIL', { locale });
      setChallenges((all) => ({ ...all, [method]: sent }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const ticketDead = error?.code === 'UNAUTHENTICATED';
  return (
    <div class="second-step">
      <StepHeading>{label[method]}</StepHeading>
      <p>{t.signIn.secondStepIntro}</p>
      {byCode && !challenge ? (
        <div class="actions">
          <Button busy={busy} onClick={sendCode} disabled={ticketDead}>
            {t.signIn.sendSecondStepCode}
          </Button>
        </div>
      ) : (
        <OtpForm
          key={`${method}-${challenge?.challengeId ?? ''}`}
          id="second-step"
          challenge={challenge ?? { challengeId: '' }}
          sentText={byCode ? undefined : method === 'TOTP' ? t.signIn.totpHint : t.signIn.recoveryHint}
          label={byCode ? undefined : label[method]}
          hint={byCode ? undefined : ''}
          noResend={!byCode}
          submit={async (code) => {
            onDone(await completeSignIn(ticket.ticket, method, method === 'RECOVERY_CODE' ? code : code.replace(/\s+/g, ''), { locale }));
          }}
          resend={() => resendOtp(challenge!.challengeId, { locale })}
          restart={{ label: t.otp.startOver, run: async () => onCancel() }}
        />
      )}
      <ErrorRegion id="second-step-error" message={error ? (ticketDead ? t.signIn.ticketExpired : errorText(error)) : null} />
      <ul class="plain-list">
        {ticket.methods
          .filter((m) => m !== method)
          .map((m) => (
            <li key={m}>
              <button type="button" class="btn btn-link" onClick={() => (setMethod(m), setError(null))}>
                {t.signIn.useMethod(label[m])}
              </button>
            </li>
          ))}
      </ul>
      <div class="actions">
        <Button variant="secondary" onClick={onCancel}>
          {t.common.back}
        </Button>
      </div>
    </div>
  );
}
