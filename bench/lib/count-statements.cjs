// Preloaded into the service by bench/statements.mjs (node --require): counts every statement the
// service sends through node-postgres, by its text. When the file named by GH_STATEMENTS_DUMP
// appears, it writes the counts since the last dump to that name + '.out' and starts again.
const { createRequire } = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const pg = createRequire(path.join(process.cwd(), 'package.json'))('pg');
const trigger = process.env.GH_STATEMENTS_DUMP;
const counts = new Map();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (text) {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 100);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return query.call(this, config, ...rest);
};
setInterval(() => {
  if (!trigger || !fs.existsSync(trigger)) return;
  fs.unlinkSync(trigger);
  fs.writeFileSync(`${trigger}.out`, JSON.stringify([...counts]));
  counts.clear();
}, 50).unref();
