import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

/** dist/client next to dist/apps (vite.config.ts `build.outDir`); this file runs from dist/apps/api/src/client. */
export const DEFAULT_CLIENT_ROOT = resolve(__dirname, '..', '..', '..', '..', 'client');

/** The URL prefix the screens live under (vite.config.ts `base`). */
export const CLIENT_BASE = '/app';

export type ClientFile = { kind: 'asset' | 'file' | 'index'; path: string } | { kind: 'missing' };

/**
 * Maps a request path under /app to a file of the built client. Hashed files under
 * /app/assets are the only long-lived ones; an unknown asset is a 404 (never the HTML, which a
 * browser would try to run as a script); any other path is a screen and gets index.html.
 */
export class ClientFiles {
  readonly indexPath: string;

  constructor(readonly root: string = DEFAULT_CLIENT_ROOT) {
    this.indexPath = join(root, 'index.html');
  }

  get available(): boolean {
    return existsSync(this.indexPath);
  }

  resolve(pathname: string): ClientFile {
    const rest = pathname === CLIENT_BASE ? '/' : pathname.slice(CLIENT_BASE.length);
    if (rest.startsWith('/assets/')) {
      const file = this.inside(rest);
      return file ? { kind: 'asset', path: file } : { kind: 'missing' };
    }
    // A real file at the top level (none today besides index.html); paths with an extension
    // that name no file are typos, not screens.
    if (extname(rest) !== '') {
      const file = this.inside(rest);
      if (file) return { kind: file === this.indexPath ? 'index' : 'file', path: file };
      return { kind: 'missing' };
    }
    return { kind: 'index', path: this.indexPath };
  }

  /** The regular file `rest` names inside the root, never outside it (`..`, encoded or not). */
  private inside(rest: string): string | null {
    if (rest.includes('\0')) return null;
    const full = resolve(this.root, `.${rest}`);
    if (!full.startsWith(this.root + sep)) return null;
    if (
      full
        .slice(this.root.length + 1)
        .split(sep)
        .some((part) => part.startsWith('.'))
    )
      return null;
    try {
      return statSync(full).isFile() ? full : null;
    } catch {
      return null;
    }
  }
}
