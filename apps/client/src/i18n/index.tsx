import { createContext, type ComponentChildren } from 'preact';
import { useContext, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { ApiError } from '../api/errors';
import { en, type ErrorFacts, type Formatters, type Messages } from './en';
import { vi } from './vi';

export type Locale = 'en' | 'vi';
export const LOCALES: Locale[] = ['en', 'vi'];
const DICTIONARIES: Record<Locale, Messages> = { en, vi };
const STORAGE_KEY = 'gatehouse.locale';

/** The person's earlier choice, else the first browser language we have, else English. */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'vi') return saved;
  } catch {
    /* storage disabled: fall through to the browser */
  }
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of wanted) {
    const base = (tag ?? '').toLowerCase().split('-')[0];
    if (base === 'vi' || base === 'en') return base;
  }
  return 'en';
}

function formatters(locale: Locale, t: Messages): Formatters {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    duration(seconds: number) {
      const s = Math.max(0, Math.ceil(seconds));
      if (s < 120) return t.durations.seconds(s);
      if (s < 7200) return t.durations.minutes(Math.ceil(s / 60));
      return t.durations.hours(Math.ceil(s / 3600));
    },
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
  };
}

export interface I18n {
  locale: Locale;
  t: Messages;
  fmt: Formatters & { time: (iso: string) => string; clock: (seconds: number) => string };
  setLocale: (locale: Locale) => void;
  /** The localized text of an API error (contract README, Errors). */
  errorText: (err: ApiError) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  // In the same commit as the text: a reader (or a screen reader) never sees new words under the old lang.
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const t = DICTIONARIES[locale];
    const base = formatters(locale, t);
    const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    const fmt = {
      ...base,
      time: (iso: string) => time.format(new Date(iso)),
      clock: (seconds: number) => {
        const s = Math.max(0, Math.ceil(seconds));
        return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      },
    };
    return {
      locale,
      t,
      fmt,
      setLocale: (next: Locale) => {
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          /* the choice then lasts for this page only */
        }
        setLocaleState(next);
      },
      errorText: (err: ApiError) => {
        const facts: ErrorFacts = { ...err.extensions, field: fieldLabel(t, err.extensions.field) };
        const entry = t.errors[err.code];
        return typeof entry === 'function' ? entry(facts, fmt) : entry;
      },
    };
  }, [locale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The localized label of a field the service names in `extensions.field`. */
export function fieldLabel(t: Messages, field: string | undefined): string | undefined {
  if (!field) return undefined;
  const known: Record<string, string> = {
    username: t.fields.username,
    email: t.fields.email,
    phone: t.fields.phone,
    displayName: t.fields.displayName,
    password: t.fields.password,
    newPassword: t.fields.newPassword,
    identifier: t.fields.identifier,
    code: t.fields.code,
  };
  return known[field] ?? field;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
