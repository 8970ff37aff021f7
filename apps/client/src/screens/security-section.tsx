import { generate } from 'lean-qr';
import { useEffect, useState } from 'preact/hooks';
import type { Account } from '../api/account';
import { asApiError } from '../api/errors';
import {
  beginTotpEnrollment,
  confirmTotpEnrollment,
  disableSecondFactor,
  enableCodeSecondFactor,
  loadSecondFactor,
  loadSecurityEvents,
  regenerateRecoveryCodes,
  type RecoveryCodes,
  type SecondFactorStatus,
  type SecurityEvent,
  type TotpEnrollment,
} from '../api/security';
import { Button, ErrorRegion, Field, StatusRegion } from '../components/form';
import { useAction } from '../components/use-action';
import { useI18n } from '../i18n';
import { describeDevice } from '../lib/user-agent';
import { authed } from '../session';

/** A server without the field answers GRAPHQL_VALIDATION_FAILED: the section is then not offered. */
const missing = (err: unknown) => {
  const code = asApiError(err).code;
  return code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_REQUEST';
};

/**
 * Second step at sign-in (contract README, Second factor): an authenticator app
 * (beginTotpEnrollment → QR code drawn here from otpauthUri, plus the secret to type →
 * confirmTotpEnrollment) or a code by email / SMS (enableCodeSecondFactor); recovery codes are
 * shown once with copy and download; turn off; new recovery codes.
 */
export function SecuritySection({ account }: { account: Account }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<SecondFactorStatus | null | 'missing'>(null);
  const [mode, setMode] = useState<null | 'app' | 'EMAIL' | 'SMS' | 'disable' | 'regenerate'>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [codes, setCodes] = useState<RecoveryCodes | null>(null);
  const action = useAction();

  const reload = () =>
    authed((token) => loadSecondFactor({ token, locale }))
      .then(setStatus)
      .catch((err) => setStatus(missing(err) ? 'missing' : null));
  useEffect(() => {
    void reload();
  }, []);

  if (status === 'missing') return null;
  // While it loads, the section keeps its place (nothing below it moves when it arrives).
  if (status === null) return <SectionPlaceholder id="security" title={t.security.title} loading={t.meta.loading} />;

  const reset = () => {
    setMode(null);
    setPassword('');
    setCode('');
    setEnrollment(null);
    action.setError(null);
  };
  const methodNames = { TOTP: t.signIn.methodTotp, EMAIL: t.signIn.methodEmail, SMS: t.signIn.methodSms, RECOVERY_CODE: t.signIn.methodRecovery };
  const verified = (type: 'EMAIL' | 'PHONE') => account.identifiers.some((i) => i.type === type && i.verified);

  const submit = (e: Event) => {
    e.preventDefault();
    void action.run('submit', async () => {
      if (mode === 'app' && !enrollment) setEnrollment(await authed((token) => beginTotpEnrollment(password, { token, locale })));
      else if (mode === 'app' && enrollment)
        setCodes(await authed((token) => confirmTotpEnrollment(enrollment.enrollmentId, code.replace(/\s+/g, ''), { token, locale })));
      else if (mode === 'EMAIL' || mode === 'SMS') setCodes(await authed((token) => enableCodeSecondFactor(mode, password, { token, locale })));
      else if (mode === 'regenerate') setCodes(await authed((token) => regenerateRecoveryCodes(password, { token, locale })));
      else if (mode === 'disable') {
        await authed((token) => disableSecondFactor(password, code.trim(), { token, locale }));
        reset();
        await reload();
        return t.security.turnedOff;
      }
      if (mode !== 'app' || enrollment) {
        setPassword('');
        setCode('');
      }
    });
  };

  let body;
  if (codes) {
    body = <RecoveryCodesView codes={codes} onDone={() => (setCodes(null), reset(), void reload())} />;
  } else if (mode) {
    const needsPassword = !(mode === 'app' && enrollment);
    const needsCode = mode === 'disable' || (mode === 'app' && enrollment);
    body = (
      <form onSubmit={submit} noValidate>
        {mode === 'app' && enrollment ? <QrCode enrollment={enrollment} /> : null}
        {needsPassword ? (
          <Field
            id="security-password"
            label={t.fields.currentPassword}
            type="password"
            value={password}
            onValue={setPassword}
            autoComplete="current-password"
            required
          />
        ) : null}
        {needsCode ? (
          <Field
            id="security-code"
            label={mode === 'disable' ? t.security.disableCode : t.security.firstCode}
            value={code}
            onValue={setCode}
            autoComplete="one-time-code"
            inputMode={mode === 'disable' ? 'text' : 'numeric'}
            required
          />
        ) : null}
        <ErrorRegion id="security-error" message={action.errorMessage} />
        <div class="actions">
          <Button type="submit" busy={action.busy === 'submit'}>
            {mode === 'disable'
              ? t.security.disable
              : mode === 'regenerate'
                ? t.security.regenerate
                : mode === 'app' && !enrollment
                  ? t.account.continue
                  : t.security.confirm}
          </Button>
          <Button variant="secondary" onClick={reset}>
            {t.account.cancel}
          </Button>
        </div>
      </form>
    );
  } else if (status.enabled) {
    body = (
      <div class="actions">
        <Button variant="secondary" onClick={() => setMode('regenerate')}>
          {t.security.regenerate}
        </Button>
        <Button variant="secondary" onClick={() => setMode('disable')}>
          {t.security.disable}
        </Button>
      </div>
    );
  } else {
    body = (
      <div class="actions">
        <Button variant="secondary" onClick={() => setMode('app')}>
          {t.security.setUpApp}
        </Button>
        {verified('EMAIL') ? (
          <Button variant="secondary" onClick={() => setMode('EMAIL')}>
            {t.security.setUpEmail}
          </Button>
        ) : null}
        {verified('PHONE') ? (
          <Button variant="secondary" onClick={() => setMode('SMS')}>
            {t.security.setUpSms}
          </Button>
        ) : null}
      </div>
    );
  }

  return (
    <section class="account-section" aria-labelledby="security-title" id="security">
      <h2 id="security-title">{t.security.title}</h2>
      <p>
        {status.enabled ? t.security.on(status.methods.map((m) => methodNames[m]).join(', ')) : t.security.off}{' '}
        {status.enabled ? t.security.recoveryLeft(status.recoveryCodesRemaining) : null}
      </p>
      {body}
      <StatusRegion id="security-status" message={action.status} />
    </section>
  );
}

function QrCode({ enrollment }: { enrollment: TotpEnrollment }) {
  const { t } = useI18n();
  // Drawn here, from the URI the service returned: the secret never goes to a third party.
  const src = generate(enrollment.otpauthUri).toDataURL({ type: 'image/png', scale: 6, padX: 4, padY: 4 });
  return (
    <div class="totp-setup">
      <h3>{t.security.scanTitle}</h3>
      <img class="qr" src={src} alt={t.security.qrLabel} id="totp-qr" />
      <p>
        {t.security.secretLabel}{' '}
        <code class="secret" id="totp-secret">
          {enrollment.secret.replace(/(.{4})/g, '$1 ').trim()}
        </code>
      </p>
    </div>
  );
}

function RecoveryCodesView({ codes, onDone }: { codes: RecoveryCodes; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const text = codes.codes.join('\n');
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'gatehouse-recovery-codes.txt';
    a.click();
    window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <div class="recovery">
      <h3>{t.security.codesTitle}</h3>
      <p>{t.security.codesIntro}</p>
      <ol class="recovery-codes" id="recovery-codes">
        {codes.codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <StatusRegion message={copied ? t.security.copied : null} />
      <div class="actions">
        <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
          {t.security.copy}
        </Button>
        <Button variant="secondary" onClick={download}>
          {t.security.download}
        </Button>
        <Button onClick={onDone}>{t.security.done}</Button>
      </div>
    </div>
  );
}

/** Recent activity (`me { securityEvents }`), newest first, ten at a time; hidden where the service lacks it. */
export function ActivitySection() {
  const { t, locale, fmt } = useI18n();
  const [events, setEvents] = useState<SecurityEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [hidden, setHidden] = useState(false);
  const action = useAction();

  const load = (after: string | null) =>
    authed((token) => loadSecurityEvents(after, { token, locale })).then((page) => {
      setEvents((all) => [...(after ? (all ?? []) : []), ...page.events]);
      setCursor(page.endCursor);
      setMore(page.hasNextPage);
    });
  useEffect(() => {
    load(null).catch((err) => (missing(err) ? setHidden(true) : setEvents([])));
  }, []);

  if (hidden) return null;
  if (events === null) return <SectionPlaceholder id="activity" title={t.activity.title} loading={t.meta.loading} />;
  return (
    <section class="account-section" aria-labelledby="activity-title" id="activity">
      <h2 id="activity-title">{t.activity.title}</h2>
      {events.length === 0 ? <p>{t.activity.empty}</p> : null}
      <ul class="plain-list">
        {events.map((e, n) => {
          const device = describeDevice(e.userAgent);
          return (
            <li class="event" key={`${e.occurredAt}-${n}`} data-event-type={e.type}>
              <strong>{t.activity.eventType(e.type)}</strong>
              <p class="session-meta">
                {[fmt.dateTime(e.occurredAt), device ? t.account.deviceOn(device.browser, device.os) : null, e.ip].filter(Boolean).join(' · ')}
              </p>
            </li>
          );
        })}
      </ul>
      <ErrorRegion message={action.errorMessage} />
      {more ? (
        <div class="actions">
          <Button variant="secondary" busy={action.busy === 'more'} onClick={() => action.run('more', () => load(cursor))}>
            {t.activity.more}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

/** A section's heading and a loading line, at the height the loaded section usually has. */
function SectionPlaceholder({ id, title, loading }: { id: string; title: string; loading: string }) {
  return (
    <section class="account-section section-loading" aria-labelledby={`${id}-title`} aria-busy="true" id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p role="status">{loading}</p>
    </section>
  );
}
