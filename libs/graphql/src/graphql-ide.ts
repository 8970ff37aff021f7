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

/**
 * The page's policy: its own files only. `style-src 'unsafe-inline'` because GraphiQL sets
 * inline styles; `font-src data:` because graphiql.css carries its fonts as data: URLs (without it
 * every load logs a CSP error per font). No inline script: the boot code is /graphql-ide/ide.js.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Gatehouse GraphQL IDE</title>
  <link rel="icon" href="/favicon.ico" />
  <link rel="stylesheet" href="/graphql-ide/graphiql.css" />
  <style>
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
    #ide { flex: 1; min-height: 0; }
    .ide-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; padding: 0.4rem 0.75rem; border-bottom: 1px solid #ddd; font-size: 14px; }
    .ide-bar input { font: inherit; padding: 0.15rem 0.3rem; width: 12rem; }
    .ide-bar button { font: inherit; }
    #ide-status { color: #555; }
  </style>
</head>
<body>
  <form id="ide-sign-in" class="ide-bar" aria-label="Sign in: fills the Authorization header">
    <strong>Gatehouse GraphQL IDE</strong>
    <label>Username, email or phone <input id="ide-identifier" autocomplete="username" required /></label>
    <label>Password <input id="ide-password" type="password" autocomplete="current-password" required /></label>
    <button type="submit">Sign in</button>
    <span id="ide-status" role="status"></span>
  </form>
  <div id="ide">Loading…</div>
  <script src="/graphql-ide/react.js"></script>
  <script src="/graphql-ide/react-dom.js"></script>
  <script src="/graphql-ide/graphiql.js"></script>
  <script src="/graphql-ide/ide.js"></script>
</body>
</html>`;

/**
 * The first document a visitor sees: short lines, so it reads whole in the editor's half of a
 * 1280 px screen. One operation, so the run button runs it without asking which.
 */
const DEFAULT_DOCUMENT = `# Gatehouse GraphQL IDE
#
# Sign in with the form above: it fills the
# Authorization header (Headers, below) for
# this browser tab. Or run this mutation and
# paste its accessToken into Headers
# ("Bearer " may be left out):
#
#   mutation {
#     signIn(input: {
#       identifier: "admin"
#       password: "…"
#     }) { accessToken }
#   }
#
# Then, as an admin:
query Accounts {
  accounts(first: 20) {
    totalCount
    edges {
      node {
        id
        status
        roles
        identifiers { type value verified }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * The page's script. The headers live in sessionStorage (this tab, across reloads; gone when it
 * closes: a bearer token should not outlive the tab in localStorage). So does everything GraphiQL
 * stores (tabs, history), since its history keeps each run's headers whatever
 * shouldPersistHeaders says. A token pasted alone, or an Authorization value without "Bearer ",
 * is completed before it is sent.
 */
const BOOT = `(function () {
  'use strict';
  var KEY = 'gatehouse.ide.headers';
  var EMPTY = '{\\n  "Authorization": ""\\n}';
  var TOKEN = /^\\s*(?:bearer\\s+)?([\\w-]+\\.[\\w-]+\\.[\\w-]+)\\s*$/i;
  var SIGN_IN = 'mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken } }';
  var tabStorage = (function () { try { return window.sessionStorage; } catch (e) { return undefined; } })();
  var storage = { get: function () { try { return sessionStorage.getItem(KEY); } catch (e) { return null; } },
                  set: function (v) { try { sessionStorage.setItem(KEY, v); } catch (e) { /* storage off: this load only */ } } };
  var headersFor = function (token) { return JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2); };
  var base = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
  function fetcher(params, opts) {
    var given = (opts && opts.headers) || {};
    var headers = {};
    Object.keys(given).forEach(function (name) {
      var value = given[name];
      if (name.toLowerCase() === 'authorization') {
        value = String(value == null ? '' : value).trim();
        if (value === '') return;
        if (!/^bearer\\s/i.test(value)) value = 'Bearer ' + value;
      }
      headers[name] = value;
    });
    return base(params, Object.assign({}, opts, { headers: headers }));
  }
  var setHeadersFromForm = function () {};
  function App() {
    var state = React.useState(storage.get() || EMPTY);
    var headers = state[0];
    var setHeaders = state[1];
    React.useEffect(function () { storage.set(headers); }, [headers]);
    React.useEffect(function () { setHeadersFromForm = setHeaders; }, []);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: tabStorage,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      headers: headers,
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: ${JSON.stringify(DEFAULT_DOCUMENT)},
      onEditHeaders: function (value) {
        var token = TOKEN.exec(value);
        if (token) setHeaders(headersFor(token[1]));
        else storage.set(value);
      }
    });
  }
  ReactDOM.createRoot(document.getElementById('ide')).render(React.createElement(App));

  var form = document.getElementById('ide-sign-in');
  var status = document.getElementById('ide-status');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = document.getElementById('ide-password');
    status.textContent = 'Signing in…';
    fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: SIGN_IN, variables: { input: { identifier: document.getElementById('ide-identifier').value, password: password.value } } })
    })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        var error = body.errors && body.errors[0];
        if (error) {
          status.textContent = (error.extensions && error.extensions.code === 'SECOND_FACTOR_REQUIRED')
            ? 'This account has a second step: run signIn, then completeSignIn, in the editor.'
            : 'Not signed in: ' + error.message;
          return;
        }
        password.value = '';
        setHeadersFromForm(headersFor(body.data.signIn.accessToken));
        status.textContent = 'Signed in: the Authorization header is set for this tab.';
      })
      .catch(function () { status.textContent = 'Not signed in: the service did not answer.'; });
  });
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
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
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
