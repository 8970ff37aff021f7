'use strict';
// Runs pglite-pool.ts outside Jest (whose CommonJS sandbox cannot load PGlite's WebAssembly):
// the TypeScript is transpiled in memory, then one scenario runs and its result goes back over IPC.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const ts = require('typescript');

function loadPool() {
  const file = join(__dirname, 'pglite-pool.ts');
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(dirname(file));
  m._compile(outputText, file);
  return m.exports.PGlitePool;
}

/** A client leased from the pool, as TypeORM's query runner gets it. */
function lease(pool) {
  return new Promise((resolve, reject) =>
    pool.connect((err, client, release) => (err ? reject(err) : resolve({ query: (sql, params) => client.query(sql, params), release }))),
  );
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Transaction A inserts a row and rolls back; transaction B, started while A is open, inserts a
 * row and commits. A waits for B to finish (or 300 ms, when B is rightly held back by A's lease)
 * before it rolls back. Returns the rows left.
 */
async function rollbackBesideCommit() {
  const PGlitePool = loadPool();
  const pool = new PGlitePool({ pgliteDataDir: 'memory://' });
  await pool.query('CREATE TABLE t (v text NOT NULL)');
  const a = await lease(pool);
  await a.query('BEGIN');
  await a.query('INSERT INTO t (v) VALUES ($1)', ['rolled back']);
  const b = (async () => {
    const client = await lease(pool);
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO t (v) VALUES ($1)', ['committed']);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  })();
  await Promise.race([b, sleep(300)]);
  await a.query('ROLLBACK');
  a.release();
  await b;
  const { rows } = await pool.query('SELECT v FROM t ORDER BY v');
  await new Promise((done) => pool.end(done));
  return rows.map((r) => r.v);
}

rollbackBesideCommit().then(
  (rows) => process.send({ rows }, () => process.exit(0)),
  (err) => process.send({ error: String((err && err.stack) || err) }, () => process.exit(1)),
);
