#!/usr/bin/env node
// Self time and inclusive time per function (and per package) of a .cpuprofile (node --cpu-prof).
// node bench/lib/profile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const label = (n) => {
  const cf = n.callFrame;
  const url = cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/dist\//, 'dist/');
  return `${cf.functionName || '(anon)'} ${url}:${cf.lineNumber + 1}`;
};
const pkg = (n) => {
  const u = n.callFrame.url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (m) return m[1];
  if (u.includes('/dist/')) return 'app (dist)';
  if (u.startsWith('node:')) return 'node:internal';
  return n.callFrame.functionName ? `(${n.callFrame.functionName})` : '(native/other)';
};
const selfFn = new Map();
const selfPkg = new Map();
const incl = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  selfFn.set(label(n), (selfFn.get(label(n)) ?? 0) + t);
  selfPkg.set(pkg(n), (selfPkg.get(pkg(n)) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + t);
  }
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
console.log('\n== self time by package ==');
for (const [k, t] of top(selfPkg, 20)) console.log(pct(t), k);
console.log('\n== self time by function ==');
for (const [k, t] of top(selfFn, N)) console.log(pct(t), k);
console.log('\n== inclusive time by function ==');
for (const [k, t] of top(incl, N)) console.log(pct(t), k);
