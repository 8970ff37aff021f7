import { useEffect, useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import { me, requestIdentifierVerification, resendOtp, verifyIdentifier, type Identifier, type Me, type OtpChallenge, type Session } from '../api/operations';
import { Button, ErrorRegion, ScreenTitle, StatusRegion } from '../components/form';
import { OtpForm } from '../components/otp-form';
import { useI18n } from '../i18n';
import { href, Link, navigate } from '../router';
import { loadChallenges, saveChallenges } from '../session';

const CHANNEL_OF: Record<Identifier['type'], OtpChallenge['channel'] | null> = { USERNAME: null, EMAIL: 'EMAIL', PHONE: 'SMS' };

/**
 * The signed-in account's identifiers (`me { identifiers }`) with their verified state; an
 * unverified email or phone gets a code (`requestIdentifierVerification`) checked by
 * `verifyIdentifier`. Codes sent by sign-up (`verifications`) are picked up from the session.
 */
export function VerifyScreen({ session, onSignOut }: { session: Session | null; onSignOut: () => void }) {
  const { t, locale, errorText } = useI18n();
  const [account, setAccount] = useState<Me | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [challenges, setChallenges] = useState<Record<string, OtpChallenge>>({});
  const [requesting, setRequesting] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const token = session?.accessToken ?? null;

  useEffect(() => {
    if (!token) return;
    let live = true;
    me({ token, locale })
      .then((loaded) => {
        if (!live) return;
        setAccount(loaded);
        // Match sign-up's challenges to the unverified identifiers of their channel.
        const pending = loadChallenges();
        const byId: Record<string, OtpChallenge> = {};
        for (const identifier of loaded.identifiers) {
          if (identifier.verified) continue;
          const found = pending.find((c) => c.channel === CHANNEL_OF[identifier.type] && !Object.values(byId).includes(c));
          if (found) byId[identifier.id] = found;
        }
        setChallenges(byId);
      })
      .catch((err) => {
        if (!live) return;
        const apiError = asApiError(err);
        setLoadError(apiError);
        if (apiError.code === 'UNAUTHENTICATED') onSignOut();
      });
    return () => {
      live = false;
    };
    // The language is not a reason to reload: only the session is.
  }, [token]);

  useEffect(() => {
    if (account) saveChallenges(Object.values(challenges));
  }, [challenges, account]);

  const setChallenge = (identifierId: string, challenge: OtpChallenge | null) =>
    setChallenges((all) => {
      const next = { ...all };
      if (challenge) next[identifierId] = challenge;
      else delete next[identifierId];
      return next;
    });

  const requestCode = async (identifier: Identifier) => {
    if (!token) return;
    setRequesting(identifier.id);
    setError(null);
    setStatus(null);
    try {
      setChallenge(identifier.id, await requestIdentifierVerification(identifier.id, { token, locale }));
    } catch (err) {
      const apiError = asApiError(err);
      setError(apiError);
      if (apiError.code === 'UNAUTHENTICATED') onSignOut();
    } finally {
      setRequesting(null);
    }
  };

  if (!token) {
    return (
      <section aria-labelledby="verify-title">
        <ScreenTitle title={t.verify.title}>
          <span id="verify-title">{t.verify.title}</span>
        </ScreenTitle>
        <ErrorRegion message={loadError?.code === 'UNAUTHENTICATED' ? t.verify.sessionEnded : null} />
        <p>{t.verify.signedOut}</p>
        <p class="actions">
          <Link to={href('sign-in')} class="btn btn-primary">
            {t.nav.signIn}
          </Link>
        </p>
      </section>
    );
  }

  const name = account?.profile.displayName || account?.identifiers.find((i) => i.type === 'USERNAME')?.value || account?.identifiers[0]?.value;
  const typeLabel = { USERNAME: t.verify.typeUsername, EMAIL: t.verify.typeEmail, PHONE: t.verify.typePhone };

  return (
    <section aria-labelledby="verify-title" aria-busy={account || loadError ? undefined : 'true'}>
      <ScreenTitle title={t.verify.title}>
        <span id="verify-title">{t.verify.title}</span>
      </ScreenTitle>
      <p class="signed-in-as">{name ? t.verify.signedInAs(name) : '\u00a0'}</p>
      <p>{t.verify.intro}</p>
      <ErrorRegion id="verify-error" message={loadError ? errorText(loadError) : error ? errorText(error) : null} />
      <StatusRegion id="verify-status" message={status} />
      {account ? (
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
                    submit={async (code) => {
                      const verified = await verifyIdentifier(challenge.challengeId, code, { token, locale });
                      setAccount((a) => a && { ...a, identifiers: a.identifiers.map((i) => (i.id === verified.id ? { ...i, verified: true } : i)) });
                      setChallenge(identifier.id, null);
                      setStatus(t.verify.verifiedNow(identifier.value));
                    }}
                    resend={async () => {
                      const next = await resendOtp(challenge.challengeId, { token, locale });
                      setChallenges((all) => ({ ...all, [identifier.id]: next }));
                      return next;
                    }}
                    restart={{
                      label: t.verify.sendNewCode,
                      // A new request supersedes the dead challenge (contract README, One-time codes).
                      run: async () => setChallenge(identifier.id, await requestIdentifierVerification(identifier.id, { token, locale })),
                    }}
                  />
                ) : canVerify ? (
                  <div class="actions">
                    <Button variant="secondary" busy={requesting === identifier.id} disabled={requesting !== null} onClick={() => requestCode(identifier)}>
                      {t.verify.sendCode}
                    </Button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : loadError ? null : (
        <ul class="identifiers" aria-hidden="true">
          {[0, 1].map((n) => (
            <li class="identifier identifier-placeholder" key={n}>
              <div class="identifier-head">
                <span class="skeleton" />
              </div>
              <p class="identifier-value">
                <span class="skeleton skeleton-wide" />
              </p>
            </li>
          ))}
        </ul>
      )}
      {!account && !loadError ? <p class="visually-hidden" role="status">{t.meta.loading}</p> : null}
      <div class="actions">
        <Button
          variant="secondary"
          onClick={() => {
            onSignOut();
            navigate(href('sign-in'));
          }}
        >
          {t.nav.signOut}
        </Button>
      </div>
    </section>
  );
}
