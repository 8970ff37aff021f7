'use strict';
// Hosts one in-memory PGlite database for a Jest test (embedded-database.ts). Jest cannot load
// PGlite itself: PGlite loads its WebAssembly with import(), which Jest's CommonJS sandbox refuses.
// Statements arrive over IPC and run one at a time, as they would on one PostgreSQL session. The
// child exits when the IPC channel closes, so it never outlives the test process.
const { PGlite } = require('@electric-sql/pglite');

const ready = PGlite.create('memory://');
let queue = Promise.resolve();

process.on('message', ({ id, op, sql, params }) => {
  queue = queue.then(async () => {
    try {
      const db = await ready;
      const rows = op === 'exec' ? (await db.exec(sql), []) : (await db.query(sql, params)).rows;
      process.send({ id, rows });
    } catch (err) {
      process.send({ id, error: { message: String(err && err.message), code: err && err.code } });
    }
  });
});
process.on('disconnect', () => process.exit(0));
