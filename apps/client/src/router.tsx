import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Screens live under the base the API serves them from (vite.config.ts `base`). */
export const BASE = '/app';

export type Route = 'sign-up' | 'sign-in' | 'verify' | 'reset-password' | 'account' | 'cancel-deletion' | 'not-found';
const ROUTES: Route[] = ['sign-up', 'sign-in', 'verify', 'reset-password', 'account', 'cancel-deletion'];

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const name = rest.replace(/^\/+|\/+$/g, '');
  if (name === '') return 'sign-in';
  return (ROUTES as string[]).includes(name) ? (name as Route) : 'not-found';
}

export function href(route: Exclude<Route, 'not-found'>, query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${BASE}/${route}${search}`;
}

const listeners = new Set<() => void>();

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function useLocation(): { route: Route; search: URLSearchParams } {
  const read = () => ({ route: routeOf(location.pathname), search: new URLSearchParams(location.search) });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = () => setLoc(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return loc;
}

/** An ordinary link (works with a middle click, a new tab, no script) that navigates in place. */
export function Link({ to, children, ...rest }: { to: string; children: ComponentChildren; class?: string; id?: string; 'aria-current'?: 'page' }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
