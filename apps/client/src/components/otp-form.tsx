import { useRef, useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import type { OtpChallenge } from '../api/operations';
import { useI18n } from '../i18n';
import { Button, ErrorRegion, Field, StatusRegion } from './form';
import { useNow } from './use-now';

export interface OtpFormProps {
  /** Unique per page: prefixes the element ids. */
  id: string;
  challenge: OtpChallenge;
  /** Checks the code (verifyIdentifier, verifyPasswordResetCode, …); throws an ApiError when refused. */
  submit: (code: string) => Promise<void>;
  /** resendOtp: the same challenge with a new code. */
  resend: () => Promise<OtpChallenge>;
  /** A way out once the challenge is dead (too many attempts): usually asking for a new challenge. */
  restart: { label: string; run: () => Promise<void> };
  /** Replaces "We sent a code to …" where the send may have been a decoy (reset, sign-up). */
  sentText?: string;
  /** The field's label and hint when the code is not one we sent (an authenticator app, a recovery code). */
  label?: string;
  hint?: string;
  /** No resend (TOTP, recovery codes). */
  noResend?: boolean;
}

/**
 * One code entry with its states (contract README, One-time codes): a wrong code with attempts
 * left, an expired code, a challenge dead after too many attempts, and the resend cool-down,
 * shown as a live countdown from `resendAvailableAt` or `retryAfterSeconds`.
 */
export function OtpForm({ id, challenge: initial, submit, resend, restart, sentText, label, hint, noResend }: OtpFormProps) {
  const { t, fmt, errorText } = useI18n();
  const [challenge, setChallenge] = useState(initial);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'submit' | 'resend' | 'restart' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [dead, setDead] = useState(false);
  const [resendAt, setResendAt] = useState(() => (initial.resendAvailableAt ? Date.parse(initial.resendAvailableAt) : 0));
  const inputRef = useRef<HTMLInputElement>(null);
  const restartRef = useRef<HTMLDivElement>(null);
  const now = useNow(resendAt > Date.now());
  const waitSeconds = Math.max(0, Math.ceil((resendAt - now) / 1000));

  const onError = (err: ApiError) => {
    setError(err);
    setStatus(null);
    if (err.code === 'OTP_MAX_ATTEMPTS') {
      // The code field is of no use now: empty it, and take the person to the way out.
      setDead(true);
      setCode('');
      window.setTimeout(() => restartRef.current?.querySelector('button')?.focus(), 0);
    }
    if (err.extensions.retryAfterSeconds !== undefined) {
      setResendAt(Date.now() + err.extensions.retryAfterSeconds * 1000);
    }
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy || dead) return;
    setBusy('submit');
    setError(null);
    setStatus(null);
    try {
      await submit(code.replace(/\s+/g, ''));
    } catch (err) {
      const apiError = asApiError(err);
      onError(apiError);
      if (apiError.code === 'OTP_INVALID') {
        setCode('');
        inputRef.current?.focus();
      }
    } finally {
      setBusy(null);
    }
  };

  const onResend = async () => {
    setBusy('resend');
    setError(null);
    setStatus(null);
    try {
      const next = await resend();
      setChallenge(next);
      setCode('');
      if (next.resendAvailableAt) setResendAt(Date.parse(next.resendAvailableAt));
      setStatus(t.otp.resent);
      inputRef.current?.focus();
    } catch (err) {
      onError(asApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const onRestart = async () => {
    setBusy('restart');
    setError(null);
    try {
      await restart.run();
    } catch (err) {
      onError(asApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const errorMessage = error ? errorText(error) : null;
  return (
    <form class="otp" onSubmit={onSubmit} noValidate aria-describedby={`${id}-sent`}>
      <p id={`${id}-sent`} class="otp-sent">
        {sentText ?? (challenge.destination ? t.otp.sentTo(challenge.destination) : t.otp.sent)}{' '}
        {challenge.expiresAt && !dead ? t.otp.validUntil(fmt.time(challenge.expiresAt)) : null}
      </p>
      <Field
        id={`${id}-code`}
        label={label ?? t.fields.code}
        hint={hint ?? t.otp.codeHint}
        value={code}
        onValue={(v) => setCode(v)}
        autoComplete="one-time-code"
        inputMode="numeric"
        required
        disabled={dead}
        inputRef={inputRef}
        extra={{
          maxLength: 12,
          pattern: '[0-9 ]*',
          class: 'code-input',
          // The text is in the live region below, read out as it appears; the field only says it failed.
          'aria-invalid': error?.code === 'OTP_INVALID' || error?.code === 'BAD_USER_INPUT' ? 'true' : undefined,
        }}
      />
      <ErrorRegion id={`${id}-error`} message={errorMessage} />
      <StatusRegion id={`${id}-status`} message={status} />
      <div class="actions" ref={restartRef}>
        {dead ? (
          // aria-disabled, not disabled, while counting down: focus can rest on it and it is announced.
          <Button
            variant="primary"
            busy={busy === 'restart'}
            disabled={busy !== null}
            aria-disabled={waitSeconds > 0 ? 'true' : undefined}
            onClick={() => (waitSeconds > 0 ? undefined : onRestart())}
          >
            {waitSeconds > 0 ? t.otp.sendNewCodeIn(fmt.clock(waitSeconds)) : restart.label}
          </Button>
        ) : (
          <>
            <Button type="submit" busy={busy === 'submit'} disabled={busy !== null || code.trim() === ''}>
              {t.otp.submit}
            </Button>
            {noResend ? null : (
              <Button
                variant="secondary"
                busy={busy === 'resend'}
                disabled={busy !== null || waitSeconds > 0}
                onClick={onResend}
                aria-describedby={`${id}-sent`}
              >
                {waitSeconds > 0 ? t.otp.resendIn(fmt.clock(waitSeconds)) : t.otp.resend}
              </Button>
            )}
          </>
        )}
      </div>
    </form>
  );
}
