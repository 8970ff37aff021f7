import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api/errors';
import { refreshSession, signOut as signOutMutation, type AuthPayload, type OtpChallenge } from './api/operations';

/**
 * The session (contract README, Sessions).
 *
 * - The access token lives in this tab's memory only: a reload or a new tab gets a fresh one
 *   from the refresh token.
 * - The refresh token lives in localStorage, so that the person stays signed in across reloads
 *   and tabs. In a pure SPA any script running in the page can read sessionStorage just as well as
 *   localStorage, so sessionStorage would cost the cross-tab session without keeping a token out of
 *   an injected script's reach; what keeps it out is the strict content security policy (no inline
 *   or foreign script), and what limits a theft is rotation with reuse detection on the server. An
 *   HttpOnly cookie would be better and needs a server change.
 * - Tabs coordinate: a refresh runs under a Web Lock, so only one tab rotates at a time; the
 *   others pick up the new pair from the BroadcastChannel (or from storage when they hold the
 *   lock next). The server's reuse window (REFRESH_TOKEN_REUSE_SECONDS) covers any race left.
 */

const REFRESH_KEY = 'gatehouse.refresh';
const CHALLENGES_KEY = 'gatehouse.challenges';
const LOCK_NAME = 'gatehouse.refresh';
/** Refresh this long before the access token expires (a quarter of a short lifetime at most). */
const LEAD_MS = 60_000;

interface StoredRefresh {
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionId: string;
}

export type SessionState =
  { status: 'loading' } | { status: 'signed-out'; reason?: 'ended' } | { status: 'signed-in'; accessToken: string; expiresAt: string; sessionId: string };

type Message = { type: 'pair'; accessToken: string; expiresAt: string; sessionId: string } | { type: 'signed-out' };

let state: SessionState = readStored() ? { status: 'loading' } : { status: 'signed-out' };
const listeners = new Set<(s: SessionState) => void>();
let timer: number | undefined;
let inFlight: Promise<void> | null = null;
let locale = 'en';
const channel: BroadcastChannel | null = typeof BroadcastChannel === 'function' ? new BroadcastChannel('gatehouse.session') : null;

function readStored(): StoredRefresh | null {
  try {
    const raw = localStorage.getItem(REFRESH_KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredRefresh;
    if (!stored.refreshToken || Date.parse(stored.refreshTokenExpiresAt) <= Date.now()) {
      localStorage.removeItem(REFRESH_KEY);
      return null;
    }
    return stored;
  } catch {
    return null;
  }
}

function setState(next: SessionState): void {
  state = next;
  window.clearTimeout(timer);
  if (next.status === 'signed-in') {
    const remaining = Date.parse(next.expiresAt) - Date.now();
    const lead = Math.min(LEAD_MS, remaining / 4);
    timer = window.setTimeout(() => void refresh(), Math.max(1_000, remaining - lead));
  }
  listeners.forEach((l) => l(next));
}

function post(message: Message): void {
  channel?.postMessage(message);
}

channel?.addEventListener('message', (e: MessageEvent<Message>) => {
  const message = e.data;
  if (message.type === 'pair') setState({ status: 'signed-in', accessToken: message.accessToken, expiresAt: message.expiresAt, sessionId: message.sessionId });
  else if (state.status !== 'signed-out') {
    sessionStorage.removeItem(CHALLENGES_KEY);
    setState({ status: 'signed-out', reason: 'ended' });
  }
});

// A browser without BroadcastChannel still hears about a sign-out in another tab.
window.addEventListener('storage', (e) => {
  if (e.key === REFRESH_KEY && e.newValue === null && state.status !== 'signed-out') setState({ status: 'signed-out', reason: 'ended' });
});

/** Runs `fn` while holding the cross-tab refresh lock (or directly where Web Locks are missing). */
function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request(LOCK_NAME, fn) : fn();
}

/** Keeps a fresh pair: the session handed out by sign-in, sign-up, a password or contact change, a refresh. */
export function startSession(payload: Pick<AuthPayload, 'accessToken' | 'expiresAt' | 'refreshToken' | 'refreshTokenExpiresAt' | 'sessionId'>): void {
  const stored: StoredRefresh = { refreshToken: payload.refreshToken, refreshTokenExpiresAt: payload.refreshTokenExpiresAt, sessionId: payload.sessionId };
  localStorage.setItem(REFRESH_KEY, JSON.stringify(stored));
  const pair = { accessToken: payload.accessToken, expiresAt: payload.expiresAt, sessionId: payload.sessionId };
  setState({ status: 'signed-in', ...pair });
  post({ type: 'pair', ...pair });
}

/** Forgets the session here and in every tab (the server is told by signOut()). */
export function endSessionLocally(reason?: 'ended'): void {
  localStorage.removeItem(REFRESH_KEY);
  sessionStorage.removeItem(CHALLENGES_KEY);
  setState({ status: 'signed-out', reason });
  post({ type: 'signed-out' });
}

/**
 * Trades the stored refresh token for a new pair. Under the lock, a tab first checks whether
 * another tab already rotated (the stored token changed and a fresh access token arrived).
 */
export function refresh(): Promise<void> {
  inFlight ??= withLock(async () => {
    const stored = readStored();
    if (!stored) {
      if (state.status !== 'signed-out') setState({ status: 'signed-out', reason: 'ended' });
      return;
    }
    if (state.status === 'signed-in' && Date.parse(state.expiresAt) - Date.now() > LEAD_MS / 2 && state.sessionId === stored.sessionId) {
      // Another tab rotated while this one waited for the lock.
      return;
    }
    try {
      startSession(await refreshSession(stored.refreshToken, { locale }));
    } catch (err) {
      // A refused refresh token (ended, expired, reused): signed out. A network failure: try again soon.
      if (err instanceof ApiError && (err.code === 'UNAUTHENTICATED' || err.code === 'BAD_USER_INPUT')) endSessionLocally('ended');
      else {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => void refresh(), 10_000);
        if (state.status === 'loading') setState({ status: 'signed-out' });
      }
    }
  }).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** Ends this session on the server (signOut), then here. */
export async function signOut(): Promise<void> {
  if (state.status === 'signed-in') {
    try {
      await signOutMutation({ token: state.accessToken, locale });
    } catch {
      /* already ended on the server, or unreachable: forgetting it here is what the person asked */
    }
  }
  endSessionLocally();
}

/**
 * Runs an authenticated call with a fresh access token; an UNAUTHENTICATED answer gets one
 * refresh and one retry (the token may have been rotated by another tab meanwhile), then signs out.
 */
export async function authed<T>(call: (token: string) => Promise<T>): Promise<T> {
  if (state.status === 'loading' || (state.status === 'signed-in' && Date.parse(state.expiresAt) - Date.now() < 5_000)) await refresh();
  if (state.status !== 'signed-in') throw new ApiError({ code: 'UNAUTHENTICATED' });
  try {
    return await call(state.accessToken);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'UNAUTHENTICATED') throw err;
    const used = state.status === 'signed-in' ? state.accessToken : null;
    await refresh();
    const now = state as SessionState;
    if (now.status !== 'signed-in' || now.accessToken === used) {
      endSessionLocally('ended');
      throw err;
    }
    return call(now.accessToken);
  }
}

export function setSessionLocale(next: string): void {
  locale = next;
}

export function useSession(): SessionState {
  const [value, setValue] = useState(state);
  useEffect(() => {
    listeners.add(setValue);
    setValue(state);
    if (state.status === 'loading') void refresh();
    return () => {
      listeners.delete(setValue);
    };
  }, []);
  return value;
}

/** Open verification challenges handed out by sign-up (`verifications`), kept for /app/account. */
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
