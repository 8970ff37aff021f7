import { dirname, join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** Files the IDE page needs, served by the app itself: it works on a machine with no internet. */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

function assetPath(name: string): string | undefined {
  const a = ASSETS[name];
  if (!a) return undefined;
  return join(dirname(require.resolve(`${a.pkg}/package.json`)), a.file);
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Gatehouse GraphQL IDE</title>
  <link rel="stylesheet" href="/graphql-ide/graphiql.css" />
  <style>html, body, #ide { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="ide">Loading…</div>
  <script src="/graphql-ide/react.js"></script>
  <script src="/graphql-ide/react-dom.js"></script>
  <script src="/graphql-ide/graphiql.js"></script>
  <script src="/graphql-ide/ide.js"></script>
</body>
</html>`;

// Admins paste a bearer token in the Headers tab: {"Authorization": "Bearer <token>"}.
const BOOT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
  var root = ReactDOM.createRoot(document.getElementById('ide'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultHeaders: '{\\n  "Authorization": "Bearer <paste an admin token from signIn>"\\n}',
    defaultQuery: '# Sign in as an admin, copy accessToken into the Headers tab, then:\\nquery Accounts {\\n  accounts(first: 20) {\\n    totalCount\\n    edges { node { id status roles identifiers { type value verified } } }\\n    pageInfo { hasNextPage endCursor }\\n  }\\n}\\n'
  }));
})();`;

/**
 * GET /graphql in a browser serves GraphiQL (contract: Endpoints), when GRAPHQL_PLAYGROUND allows;
 * every other request goes on to Apollo.
 */
export function graphqlIdeMiddleware(enabled: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (req.path === '/graphql' && !req.query.query && (req.headers.accept ?? '').includes('text/html')) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");
      res.send(PAGE);
      return;
    }
    const m = /^\/graphql-ide\/([\w.-]+)$/.exec(req.path);
    if (m) {
      if (m[1] === 'ide.js') {
        res.type('text/javascript').setHeader('Cache-Control', 'no-cache');
        res.send(BOOT);
        return;
      }
      const file = assetPath(m[1]);
      if (file) {
        res.setHeader('Cache-Control', 'public, max-age=86400');
        res.type(ASSETS[m[1]].type).sendFile(file);
        return;
      }
    }
    next();
  };
}
