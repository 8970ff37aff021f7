import { useEffect, useState } from 'preact/hooks';
import {
  confirmContactChange,
  confirmIdentifierLink,
  loadAccount,
  removeIdentifier,
  requestContactChange,
  requestIdentifierLink,
  type Account,
  type AccountIdentifier,
} from '../api/account';
import { requestIdentifierVerification, resendOtp, verifyIdentifier, type IdentifierType, type OtpChallenge } from '../api/operations';
import { Button, ErrorRegion, Field, StatusRegion } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';
import { authed, loadChallenges, saveChallenges, startSession } from '../session';
import { useAction } from '../components/use-action';

const CHANNEL_OF: Record<IdentifierType, OtpChallenge['channel'] | null> = { USERNAME: null, EMAIL: 'EMAIL', PHONE: 'SMS' };
const typeOf = (value: string): IdentifierType => (value.includes('@') ? 'EMAIL' : 'PHONE');

/** An add or change in progress: the value and password first, then the code. */
type Edit = { kind: 'link' | 'change'; identifier?: AccountIdentifier; challenge?: OtpChallenge; value: string };

/**
 * The account's sign-in methods (`me { identifiers }`) with their verified state: verify
 * (requestIdentifierVerification → verifyIdentifier, sign-up's codes picked up from the session),
 * add (requestIdentifierLink → confirmIdentifierLink), change (requestContactChange →
 * confirmContactChange, which returns a new pair) and remove (removeIdentifier; LAST_IDENTIFIER explained).
 */
export function IdentifiersSection({ account, setAccount }: { account: Account; setAccount: (a: Account) => void }) {
  const { t, locale } = useI18n();
  const [challenges, setChallenges] = useState<Record<string, OtpChallenge>>(() => {
    const pending = loadChallenges();
    const byId: Record<string, OtpChallenge> = {};
    for (const identifier of account.identifiers) {
      if (identifier.verified) continue;
      const found = pending.find((c) => c.channel === CHANNEL_OF[identifier.type] && !Object.values(byId).includes(c));
      if (found) byId[identifier.id] = found;
    }
    return byId;
  });
  const [edit, setEdit] = useState<Edit | null>(null);
  const [password, setPassword] = useState('');
  const action = useAction();

  useEffect(() => saveChallenges(Object.values(challenges)), [challenges]);

  const setChallenge = (identifierId: string, challenge: OtpChallenge | null) =>
    setChallenges((all) => {
      const next = { ...all };
      if (challenge) next[identifierId] = challenge;
      else delete next[identifierId];
      return next;
    });
  const refresh = async () => setAccount({ ...account, ...(await authed((token) => loadAccount({ token, locale }))) });
  const typeLabel = { USERNAME: t.verify.typeUsername, EMAIL: t.verify.typeEmail, PHONE: t.verify.typePhone };
  const lastIdentifier = action.error?.code === 'LAST_IDENTIFIER';

  const requestEdit = (e: Event) => {
    e.preventDefault();
    if (!edit) return;
    void action.run('edit', async () => {
      const value = edit.value.trim();
      const type = edit.identifier && edit.identifier.type !== 'USERNAME' ? edit.identifier.type : typeOf(value);
      const challenge = await authed((token) =>
        edit.kind === 'link'
          ? requestIdentifierLink({ type, value, currentPassword: password }, { token, locale })
          : requestContactChange({ type, newValue: value, currentPassword: password }, { token, locale }),
      );
      setPassword('');
      setEdit({ ...edit, challenge });
    });
  };

  const editForm = edit ? (
    <div class="identifier-edit">
      <h3>{edit.kind === 'link' ? t.account.addTitle : t.account.changeTitle(edit.identifier?.value ?? '')}</h3>
      {edit.challenge ? (
        <OtpForm
          key={edit.challenge.challengeId}
          id="edit-otp"
          challenge={edit.challenge}
          sentText={t.signUp.codesSentDecoySafe(edit.challenge.destination ?? edit.value.trim())}
          submit={async (code) => {
            const challengeId = edit.challenge!.challengeId;
            if (edit.kind === 'link') await authed((token) => confirmIdentifierLink(challengeId, code, { token, locale }));
            // A contact change hands back a new pair for this session.
            else startSession(await authed((token) => confirmContactChange(challengeId, code, { token, locale })));
            await refresh();
            action.setStatus(edit.kind === 'link' ? t.account.linked(edit.value.trim()) : t.account.changed(edit.value.trim()));
            setEdit(null);
          }}
          resend={() => authed((token) => resendOtp(edit.challenge!.challengeId, { token, locale }))}
          restart={{ label: t.otp.startOver, run: async () => setEdit({ ...edit, challenge: undefined }) }}
        />
      ) : (
        <form onSubmit={requestEdit} noValidate>
          <Field
            id="edit-value"
            label={t.account.newValue}
            hint={t.fields.phoneHint}
            value={edit.value}
            onValue={(value) => setEdit({ ...edit, value })}
            autoComplete="email"
            required
          />
          <p class="hint">{t.account.passwordForChange}</p>
          <Field
            id="edit-password"
            label={t.fields.currentPassword}
            type="password"
            value={password}
            onValue={setPassword}
            autoComplete="current-password"
            required
          />
          <ErrorRegion id="edit-error" message={action.errorMessage} />
          <div class="actions">
            <Button type="submit" busy={action.busy === 'edit'} disabled={edit.value.trim() === '' || password === ''}>
              {t.account.continue}
            </Button>
            <Button variant="secondary" onClick={() => (setEdit(null), action.setError(null))}>
              {t.account.cancel}
            </Button>
          </div>
        </form>
      )}
    </div>
  ) : null;

  return (
    <section class="account-section" aria-labelledby="methods-title">
      <h2 id="methods-title">{t.account.methodsTitle}</h2>
      <p>{t.verify.intro}</p>
      <ErrorRegion id="verify-error" message={edit ? null : lastIdentifier ? `${action.errorMessage} ${t.account.lastIdentifierHelp}` : action.errorMessage} />
      <StatusRegion id="verify-status" message={action.status} />
      <ul class="identifiers">
        {account.identifiers.map((identifier) => {
          const challenge = challenges[identifier.id];
          const canVerify = !identifier.verified && CHANNEL_OF[identifier.type] !== null;
          return (
            <li class="identifier" key={identifier.id} data-identifier-type={identifier.type}>
              <div class="identifier-head">
                <span class="identifier-type">{typeLabel[identifier.type]}</span>
                <span class={`badge ${identifier.verified ? 'badge-ok' : 'badge-warn'}`}>{identifier.verified ? t.verify.verified : t.verify.notVerified}</span>
              </div>
              <p class="identifier-value">{identifier.value}</p>
              {canVerify && challenge ? (
                <OtpForm
                  key={challenge.challengeId}
                  id={`otp-${identifier.id}`}
                  challenge={challenge}
                  // Another account may own this value: the service then sends nothing, and says so to no one.
                  sentText={t.signUp.codesSentDecoySafe(challenge.destination ?? identifier.value)}
                  submit={async (code) => {
                    const verified = await authed((token) => verifyIdentifier(challenge.challengeId, code, { token, locale }));
                    setAccount({ ...account, identifiers: account.identifiers.map((i) => (i.id === verified.id ? { ...i, verified: true } : i)) });
                    setChallenge(identifier.id, null);
                    action.setStatus(t.verify.verifiedNow(identifier.value));
                  }}
                  resend={async () => {
                    const next = await authed((token) => resendOtp(challenge.challengeId, { token, locale }));
                    setChallenges((all) => ({ ...all, [identifier.id]: next }));
                    return next;
                  }}
                  restart={{
                    label: t.verify.sendNewCode,
                    // A new request supersedes the dead challenge (contract README, One-time codes).
                    run: async () => setChallenge(identifier.id, await authed((token) => requestIdentifierVerification(identifier.id, { token, locale }))),
                  }}
                />
              ) : null}
              <div class="actions">
                {canVerify && !challenge ? (
                  <Button
                    variant="secondary"
                    busy={action.busy === `verify-${identifier.id}`}
                    onClick={() =>
                      action.run(`verify-${identifier.id}`, async () => {
                        setChallenge(identifier.id, await authed((token) => requestIdentifierVerification(identifier.id, { token, locale })));
                      })
                    }
                  >
                    {t.verify.sendCode}
                  </Button>
                ) : null}
                {identifier.type !== 'USERNAME' ? (
                  <Button
                    variant="link"
                    aria-label={`${t.account.change}: ${identifier.value}`}
                    onClick={() => (setEdit({ kind: 'change', identifier, value: '' }), action.setError(null))}
                  >
                    {t.account.change}
                  </Button>
                ) : null}
                <Button
                  variant="link"
                  aria-label={`${t.account.remove}: ${identifier.value}`}
                  busy={action.busy === `remove-${identifier.id}`}
                  onClick={() => {
                    if (!window.confirm(t.account.removeConfirm(identifier.value))) return;
                    void action.run(`remove-${identifier.id}`, async () => {
                      const next = await authed((token) => removeIdentifier(identifier.id, { token, locale }));
                      setAccount({ ...account, identifiers: next.identifiers });
                      return t.account.removed(identifier.value);
                    });
                  }}
                >
                  {t.account.remove}
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      {editForm ?? (
        <div class="actions">
          <Button variant="secondary" onClick={() => (setEdit({ kind: 'link', value: '' }), action.setError(null))}>
            {t.account.add}
          </Button>
        </div>
      )}
    </section>
  );
}
