import type { OtpChallenge, Session } from './api/operations';

/**
 * The session token lives in sessionStorage: it survives reloads of this tab and dies with it,
 * and no other tab or later visit picks it up.
 */

const SESSION_KEY = 'gatehouse.session';
const CHALLENGES_KEY = 'gatehouse.challenges';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.accessToken || Date.parse(session.expiresAt) <= Date.now()) {
      clearSession();
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ accessToken: session.accessToken, expiresAt: session.expiresAt }));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(CHALLENGES_KEY);
}

/** Open verification challenges handed out by sign-up (`verifications`), kept for /app/verify. */
export function loadChallenges(): OtpChallenge[] {
  try {
    const raw = sessionStorage.getItem(CHALLENGES_KEY);
    const list = raw ? (JSON.parse(raw) as OtpChallenge[]) : [];
    return list.filter((c) => !c.expiresAt || Date.parse(c.expiresAt) > Date.now());
  } catch {
    return [];
  }
}

export function saveChallenges(challenges: OtpChallenge[]): void {
  sessionStorage.setItem(CHALLENGES_KEY, JSON.stringify(challenges));
}
