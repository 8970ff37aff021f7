import { useEffect, useState } from 'preact/hooks';
import {
  changePassword,
  confirmAccountDeletion,
  loadAccount,
  requestAccountDeletion,
  revokeSession,
  signOutEverywhere,
  updateProfile,
  updateSettings,
  type Account,
  type SessionInfo,
} from '../api/account';
import { ApiError, asApiError } from '../api/errors';
import { resendOtp, type OtpChallenge } from '../api/operations';
import { Button, ErrorRegion, Field, ScreenTitle, StatusRegion } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useAction } from '../components/use-action';
import { useI18n } from '../i18n';
import { describeDevice } from '../lib/user-agent';
import { href, Link, navigate } from '../router';
import { authed, endSessionLocally, signOut, startSession } from '../session';
import { IdentifiersSection } from './identifiers-section';
import { ActivitySection, SecuritySection } from './security-section';

/** /app/account: the home after sign-in and sign-up. */
export function AccountScreen() {
  const { t, locale } = useI18n();
  const [account, setAccount] = useState<Account | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  const reload = () =>
    authed((token) => loadAccount({ token, locale }))
      .then(setAccount)
      .catch((err) => setLoadError(asApiError(err)));
  useEffect(() => {
    void reload();
    // The language is not a reason to reload.
  }, []);

  const name = account?.profile.displayName || account?.identifiers.find((i) => i.type === 'USERNAME')?.value || account?.identifiers[0]?.value;
  return (
    <section aria-labelledby="account-title" aria-busy={account || loadError ? undefined : 'true'}>
      <ScreenTitle title={t.account.title}>
        <span id="account-title">{t.account.title}</span>
      </ScreenTitle>
      <p class="signed-in-as">{name ? t.verify.signedInAs(name) : '\u00a0'}</p>
      <ErrorRegion id="account-error" message={loadError ? t.account.loadFailed : null} />
      {!account && !loadError ? <p role="status">{t.meta.loading}</p> : null}
      {account ? (
        <>
          <IdentifiersSection account={account} setAccount={setAccount} />
          <ProfileSection account={account} setAccount={setAccount} />
          <PasswordSection />
          <SessionsSection initial={account.sessions} />
          <SecuritySection account={account} />
          <ActivitySection />
          <DeletionSection account={account} />
        </>
      ) : null}
      {/* Shown once the sections are there: rendered before them, it would jump down when they arrive. */}
      {account || loadError ? (
        <div class="actions">
          <Button
            variant="secondary"
            onClick={async () => {
              await signOut();
              navigate(href('sign-in'));
            }}
          >
            {t.nav.signOut}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

function ProfileSection({ account, setAccount }: { account: Account; setAccount: (a: Account) => void }) {
  const { t, locale, setLocale } = useI18n();
  const [profile, setProfile] = useState({
    displayName: account.profile.displayName ?? '',
    firstName: account.profile.firstName ?? '',
    lastName: account.profile.lastName ?? '',
  });
  const [settings, setSettings] = useState(account.settings);
  const action = useAction();
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [settings.timezone];
  const set = (k: keyof typeof profile) => (v: string) => setProfile((p) => ({ ...p, [k]: v }));
  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

  const save = (e: Event) => {
    e.preventDefault();
    void action.run('save', async () => {
      await authed((token) =>
        updateProfile(
          { displayName: orNull(profile.displayName), firstName: orNull(profile.firstName), lastName: orNull(profile.lastName) },
          { token, locale },
        ),
      );
      const next = await authed((token) => updateSettings(settings, { token, locale }));
      setAccount({ ...account, ...next });
      setLocale(next.settings.locale === 'VI' ? 'vi' : 'en');
      return t.account.saved;
    });
  };

  return (
    <form class="account-section" onSubmit={save} noValidate aria-labelledby="profile-title">
      <h2 id="profile-title">{t.account.profileTitle}</h2>
      <Field id="profile-displayName" label={t.fields.displayName} optional value={profile.displayName} onValue={set('displayName')} autoComplete="nickname" />
      <Field id="profile-firstName" label={t.fields.firstName} optional value={profile.firstName} onValue={set('firstName')} autoComplete="given-name" />
      <Field id="profile-lastName" label={t.fields.lastName} optional value={profile.lastName} onValue={set('lastName')} autoComplete="family-name" />
      <h3>{t.account.preferencesTitle}</h3>
      <div class="field">
        <label for="settings-locale">{t.fields.language}</label>
        <select id="settings-locale" value={settings.locale} onChange={(e) => setSettings({ ...settings, locale: e.currentTarget.value as 'EN' | 'VI' })}>
          <option value="EN" lang="en">
            English
          </option>
          <option value="VI" lang="vi">
            Tiếng Việt
          </option>
        </select>
      </div>
      <div class="field">
        <label for="settings-timezone">{t.fields.timezone}</label>
        <select id="settings-timezone" value={settings.timezone} onChange={(e) => setSettings({ ...settings, timezone: e.currentTarget.value })}>
          {(zones.includes(settings.timezone) ? zones : [settings.timezone, ...zones]).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <div class="check">
        <input
          id="settings-email"
          type="checkbox"
          checked={settings.emailNotifications}
          onChange={(e) => setSettings({ ...settings, emailNotifications: e.currentTarget.checked })}
        />
        <label for="settings-email">{t.account.emailNotices}</label>
      </div>
      <div class="check">
        <input
          id="settings-sms"
          type="checkbox"
          checked={settings.smsNotifications}
          onChange={(e) => setSettings({ ...settings, smsNotifications: e.currentTarget.checked })}
        />
        <label for="settings-sms">{t.account.smsNotices}</label>
      </div>
      <ErrorRegion id="profile-error" message={action.errorMessage} />
      <StatusRegion id="profile-status" message={action.status} />
      <div class="actions">
        <Button type="submit" busy={action.busy === 'save'}>
          {t.account.save}
        </Button>
      </div>
    </form>
  );
}

function PasswordSection() {
  const { t, locale, errorText } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const action = useAction();
  const err = action.error;
  // The refusal belongs to the field it is about; only other errors go to the section's alert.
  const newError = err && (err.code === 'PASSWORD_POLICY' || err.extensions.field === 'newPassword') ? errorText(err) : null;
  const currentError = err && (err.code === 'INVALID_CREDENTIALS' || err.extensions.field === 'currentPassword') ? errorText(err) : null;

  const submit = (e: Event) => {
    e.preventDefault();
    void action
      .run('password', async () => {
        startSession(await authed((token) => changePassword({ currentPassword: current, newPassword: next }, { token, locale })));
        setCurrent('');
        setNext('');
        return t.account.passwordChanged;
      })
      .then(() => {
        if (document.querySelector('#password-new[aria-invalid="true"]')) document.getElementById('password-new')?.focus();
      });
  };

  return (
    <form class="account-section" onSubmit={submit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">{t.account.passwordTitle}</h2>
      <Field
        id="password-current"
        label={t.fields.currentPassword}
        type="password"
        value={current}
        onValue={setCurrent}
        autoComplete="current-password"
        required
        error={currentError}
      />
      <Field
        id="password-new"
        label={t.fields.newPassword}
        hint={t.fields.passwordHint}
        type="password"
        value={next}
        onValue={setNext}
        autoComplete="new-password"
        required
        error={newError}
      />
      <ErrorRegion id="password-error" message={err && !newError && !currentError ? errorText(err) : null} />
      <StatusRegion id="password-status" message={action.status} />
      <div class="actions">
        <Button type="submit" busy={action.busy === 'password'} disabled={current === '' || next === ''}>
          {t.account.changePassword}
        </Button>
      </div>
    </form>
  );
}

function SessionsSection({ initial }: { initial: SessionInfo[] }) {
  const { t, locale, fmt } = useI18n();
  const [sessions, setSessions] = useState(initial);
  const action = useAction();

  return (
    <section class="account-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t.account.sessionsTitle}</h2>
      <ul class="plain-list" id="sessions">
        {sessions.map((s) => {
          const device = describeDevice(s.userAgent);
          return (
            <li class="session" key={s.id} data-session-id={s.id} data-current={s.current ? 'true' : undefined}>
              <strong>{device ? t.account.deviceOn(device.browser, device.os) : t.account.unknownDevice}</strong>
              {s.current ? <span class="badge badge-ok"> {t.account.thisDevice}</span> : null}
              <p class="session-meta">
                {[s.ip, t.account.lastUsed(fmt.dateTime(s.lastUsedAt)), t.account.signedInAt(fmt.dateTime(s.createdAt))].filter(Boolean).join(' · ')}
              </p>
              {s.current ? null : (
                <Button
                  variant="secondary"
                  busy={action.busy === s.id}
                  aria-label={`${t.account.signOutSession}: ${device ? t.account.deviceOn(device.browser, device.os) : t.account.unknownDevice}, ${s.ip ?? ''}`}
                  onClick={() =>
                    action.run(s.id, async () => {
                      await authed((token) => revokeSession(s.id, { token, locale }));
                      setSessions((all) => all.filter((x) => x.id !== s.id));
                      return t.account.sessionRevoked;
                    })
                  }
                >
                  {t.account.signOutSession}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorRegion id="sessions-error" message={action.errorMessage} />
      <StatusRegion id="sessions-status" message={action.status} />
      <div class="actions">
        <Button
          variant="secondary"
          busy={action.busy === 'everywhere'}
          onClick={() => {
            if (!window.confirm(t.account.signOutEverywhereConfirm)) return;
            void action.run('everywhere', async () => {
              await authed((token) => signOutEverywhere({ token, locale }));
              endSessionLocally();
              navigate(href('sign-in'));
            });
          }}
        >
          {t.account.signOutEverywhere}
        </Button>
      </div>
    </section>
  );
}

function DeletionSection({ account }: { account: Account }) {
  const { t, locale, fmt } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<OtpChallenge | null>(null);
  const [scheduled] = useState<string | null>(account.deletionRequest?.status === 'CONFIRMED' ? account.deletionRequest.scheduledFor : null);
  const action = useAction();

  const request = (e: Event) => {
    e.preventDefault();
    void action.run('request', async () => {
      setChallenge(await authed((token) => requestAccountDeletion({ reason: reason.trim() || undefined, currentPassword: password }, { token, locale })));
      setPassword('');
    });
  };

  let body;
  if (scheduled) {
    body = (
      <div role="status">
        <p>
          <strong>{t.account.deleteScheduled(fmt.dateTime(scheduled))}</strong>
        </p>
        <p>{t.account.deleteScheduledBody}</p>
        <p>
          <Link to={href('cancel-deletion')} id="deletion-cancel-link">
            {t.account.deleteCancelLink}
          </Link>
        </p>
      </div>
    );
  } else if (challenge) {
    body = (
      <>
        <h3>{t.account.deleteCodeTitle}</h3>
        <OtpForm
          key={challenge.challengeId}
          id="deletion-otp"
          challenge={challenge}
          submit={async (code) => {
            const confirmed = await authed((token) => confirmAccountDeletion(challenge.challengeId, code, { token, locale }));
            // The account's tokens are refused from now on: forget them, and show the date with the way back.
            endSessionLocally();
            navigate(href('cancel-deletion', confirmed.scheduledFor ? { scheduled: confirmed.scheduledFor } : undefined), { replace: true });
          }}
          resend={() => authed((token) => resendOtp(challenge.challengeId, { token, locale }))}
          restart={{ label: t.otp.startOver, run: async () => setChallenge(null) }}
        />
      </>
    );
  } else if (open) {
    body = (
      <form onSubmit={request} noValidate>
        <Field id="deletion-reason" label={t.fields.reason} optional value={reason} onValue={setReason} />
        <Field
          id="deletion-password"
          label={t.fields.currentPassword}
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        <ErrorRegion id="deletion-error" message={action.errorMessage} />
        <div class="actions">
          <Button type="submit" busy={action.busy === 'request'} disabled={password === ''}>
            {t.account.deleteSend}
          </Button>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t.account.cancel}
          </Button>
        </div>
      </form>
    );
  } else {
    body = (
      <div class="actions">
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t.account.deleteStart}
        </Button>
      </div>
    );
  }

  return (
    <section class="account-section" aria-labelledby="deletion-title">
      <h2 id="deletion-title">{t.account.deleteTitle}</h2>
      {scheduled ? null : <p>{t.account.deleteIntro}</p>}
      {body}
    </section>
  );
}
