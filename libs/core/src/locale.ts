/** The languages the service speaks (contract: messages are localized en / vi), as stored and passed around. */
export const LOCALES = ['en', 'vi'] as const;

export type Locale = (typeof LOCALES)[number];

/**
 * The same codes by their GraphQL names: libs/graphql registers this object as the schema's
 * `Locale` enum, so the API says EN / VI while resolvers, services and rows all hold 'en' / 'vi'
 * (no mapping in between).
 */
export const Locale = { EN: 'en', VI: 'vi' } as const satisfies Record<string, Locale>;

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
