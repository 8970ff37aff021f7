import { useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import { signUp, type AuthPayload } from '../api/operations';
import { Button, ErrorRegion, Field, ScreenTitle, ShowPassword } from '../components/form';
import { useI18n } from '../i18n';
import type { Messages } from '../i18n/en';
import { href, Link, navigate } from '../router';
import { saveChallenges } from '../session';

type FieldName = 'username' | 'email' | 'phone' | 'displayName' | 'password';
const FIELDS: FieldName[] = ['username', 'email', 'phone', 'displayName', 'password'];

/** Which field an error belongs to, so it is shown (and focused) there. */
function fieldOf(err: ApiError): FieldName | null {
  if (err.code === 'PASSWORD_POLICY') return 'password';
  if (err.code === 'IDENTIFIER_TAKEN') return 'username';
  const f = err.extensions.field;
  return f === 'username' || f === 'email' || f === 'phone' || f === 'displayName' || f === 'password' ? f : null;
}

/**
 * The rules the form can check before asking (contract README, Identifiers and Passwords), one
 * specific message per rule. The service checks again and stays the judge.
 */
function check(values: Record<FieldName, string>, t: Messages): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {};
  const username = values.username.trim();
  if (username === '' && values.email.trim() === '' && values.phone.trim() === '') found.username = t.signUp.usernameRequired;
  else if (username !== '' && !/^[a-z0-9._-]{3,32}$/i.test(username)) found.username = t.signUp.usernameShape;
  const email = values.email.trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) found.email = t.signUp.emailShape;
  const length = [...values.password].length;
  if (values.password === '') found.password = t.signUp.passwordRequired;
  else if (length < 8) found.password = t.signUp.passwordShort;
  else if (length > 128) found.password = t.signUp.passwordLong;
  return found;
}

export function SignUpScreen({ onSession }: { onSession: (payload: AuthPayload) => void }) {
  const { t, locale, errorText } = useI18n();
  const [values, setValues] = useState<Record<FieldName, string>>({ username: '', email: '', phone: '', displayName: '', password: '' });
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [checked, setChecked] = useState<Partial<Record<FieldName, string>> | null>(null);
  const set = (name: FieldName) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const found = check(values, t);
    const first = FIELDS.find((f) => found[f]);
    setChecked(first ? found : null);
    if (first) {
      document.getElementById(`sign-up-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());
      const payload = await signUp(
        {
          username: optional(values.username),
          email: optional(values.email),
          phone: optional(values.phone),
          displayName: optional(values.displayName),
          password: values.password,
          locale: locale === 'vi' ? 'VI' : 'EN',
        },
        { locale },
      );
      saveChallenges(payload.verifications);
      onSession(payload);
      navigate(href('account'));
    } catch (err) {
      const apiError = asApiError(err);
      setError(apiError);
      const field = fieldOf(apiError);
      if (field) document.getElementById(`sign-up-${field}`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  const errorField = error ? fieldOf(error) : null;
  // Each error once: at its field; the alert only counts them (or carries an error of no field).
  const fieldError = (name: FieldName) => checked?.[name] ?? (error && errorField === name ? errorText(error) : null);
  const count = checked ? Object.keys(checked).length : errorField ? 1 : 0;
  const summary = count > 0 ? t.signUp.fixFields(count) : error ? errorText(error) : null;

  return (
    <section aria-labelledby="sign-up-title">
      <ScreenTitle title={t.signUp.title}>
        <span id="sign-up-title">{t.signUp.title}</span>
      </ScreenTitle>
      <p>{t.signUp.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <Field
          id="sign-up-username"
          label={t.fields.username}
          hint={t.fields.usernameHint}
          value={values.username}
          onValue={set('username')}
          autoComplete="username"
          required
          error={fieldError('username')}
        />
        <Field
          id="sign-up-email"
          label={t.fields.email}
          type="email"
          optional
          value={values.email}
          onValue={set('email')}
          autoComplete="email"
          inputMode="email"
          error={fieldError('email')}
        />
        <Field
          id="sign-up-phone"
          label={t.fields.phone}
          hint={t.fields.phoneHint}
          type="tel"
          optional
          value={values.phone}
          onValue={set('phone')}
          autoComplete="tel"
          inputMode="tel"
          error={fieldError('phone')}
        />
        <Field
          id="sign-up-displayName"
          label={t.fields.displayName}
          optional
          value={values.displayName}
          onValue={set('displayName')}
          autoComplete="name"
          error={fieldError('displayName')}
        />
        <Field
          id="sign-up-password"
          label={t.fields.password}
          hint={t.fields.passwordHint}
          type={showPassword ? 'text' : 'password'}
          required
          value={values.password}
          onValue={set('password')}
          autoComplete="new-password"
          error={fieldError('password')}
        />
        <ShowPassword id="sign-up-show-password" checked={showPassword} onChange={setShowPassword} />
        <ErrorRegion id="sign-up-error" message={summary} />
        <div class="actions">
          <Button type="submit" busy={busy}>
            {t.signUp.submit}
          </Button>
        </div>
      </form>
      <p class="aside">
        {t.signUp.haveAccount} <Link to={href('sign-in')}>{t.nav.signIn}</Link>
      </p>
    </section>
  );
}
