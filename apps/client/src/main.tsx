import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AuthPayload } from './api/operations';
import { I18nProvider, LOCALES, useI18n } from './i18n';
import { en } from './i18n/en';
import { vi } from './i18n/vi';
import { href, Link, navigate, useLocation } from './router';
import { AccountScreen } from './screens/account';
import { CancelDeletionScreen } from './screens/cancel-deletion';
import { ResetPasswordScreen } from './screens/reset-password';
import { SignInScreen } from './screens/sign-in';
import { SignUpScreen } from './screens/sign-up';
import { setSessionLocale, startSession, useSession } from './session';
import './styles.css';

const LANGUAGE_NAMES = { en: en.meta.languageName, vi: vi.meta.languageName };

function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div class="lang" role="group" aria-label={t.meta.languageSwitch}>
      {LOCALES.map((l) => (
        <button type="button" key={l} lang={l} class="lang-btn" aria-pressed={l === locale ? 'true' : 'false'} onClick={() => setLocale(l)}>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

function App() {
  const { t, locale } = useI18n();
  const { route, search } = useLocation();
  const session = useSession();
  const signedIn = session.status === 'signed-in';
  setSessionLocale(locale);

  // Where a screen belongs to the other side of signing in, go there (replace: Back does not bounce).
  const redirect =
    session.status === 'loading'
      ? null
      : signedIn && route === 'sign-in'
        ? href('account')
        : route === 'verify'
          ? href(signedIn ? 'account' : 'sign-in')
          : !signedIn && route === 'account'
            ? href('sign-in')
            : null;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  const onSession = (payload: AuthPayload) => startSession(payload);

  let screen;
  if (session.status === 'loading' || redirect) {
    screen = <p role="status">{t.meta.loading}</p>;
  } else {
    switch (route) {
      case 'sign-up':
        screen = <SignUpScreen onSession={onSession} />;
        break;
      case 'sign-in':
        screen = (
          <SignInScreen
            key={search.get('identifier') ?? ''}
            onSession={onSession}
            initialIdentifier={search.get('identifier') ?? undefined}
            returnTo={search.get('return_to')}
          />
        );
        break;
      case 'account':
      case 'verify':
        screen = <AccountScreen />;
        break;
      case 'cancel-deletion':
        screen = <CancelDeletionScreen initialIdentifier={search.get('identifier') ?? undefined} scheduled={search.get('scheduled') ?? undefined} />;
        break;
      case 'reset-password':
        screen = <ResetPasswordScreen initialIdentifier={search.get('identifier') ?? undefined} />;
        break;
      case 'not-found':
        screen = (
          <section>
            <h1>{t.meta.notFoundTitle}</h1>
            <p>{t.meta.notFoundBody}</p>
            <ul>
              <li>
                <Link to={href('sign-in')}>{t.nav.signIn}</Link>
              </li>
              <li>
                <Link to={href('sign-up')}>{t.nav.signUp}</Link>
              </li>
              <li>
                <Link to={href('reset-password')}>{t.nav.resetPassword}</Link>
              </li>
            </ul>
          </section>
        );
        break;
    }
  }

  const navItem = (to: Parameters<typeof href>[0], label: string) => (
    <li>
      <Link to={href(to)} aria-current={route === to ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );

  return (
    <>
      <a class="skip" href="#main">
        {t.meta.skipToContent}
      </a>
      <header class="top">
        <span class="brand">{t.meta.appName}</span>
        <LanguageSwitch />
      </header>
      <nav class="nav" aria-label={t.nav.mainMenu}>
        <ul>
          {signedIn ? navItem('account', t.nav.account) : navItem('sign-in', t.nav.signIn)}
          {signedIn ? null : navItem('sign-up', t.nav.signUp)}
        </ul>
      </nav>
      <main id="main" class="card" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}

render(
  <I18nProvider>
    <App key="app" />
  </I18nProvider>,
  document.getElementById('root')!,
);
