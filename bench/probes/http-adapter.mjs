// Upper bound of what swapping Nest's HTTP adapter (Express 5 → Fastify) could give, measured
// outside Gatehouse (issue 8): { __typename } through Apollo Server 5 on bare Express 5 and on
// bare Fastify, no Nest, each in a process of its own, loaded at the same time (8 connections
// each, 10 s, a warm-up then 3 rounds). GATEHOUSE_URL=http://host:port/graphql also loads a
// running Gatehouse beside them. Its dependencies are not the project's; run it from a scratch
// directory:
//   mkdir /tmp/adapter-probe && cd /tmp/adapter-probe && npm init -y && \
//   npm install @apollo/server@5.5.1 @as-integrations/express5@1.1.2 @as-integrations/fastify@3.1.0 \
//     fastify@5.12.8 express@5.3.0 autocannon@9.0.0 graphql@16 && \
//   cp /path/to/gatehouse/bench/probes/http-adapter.mjs . && node http-adapter.mjs
// Figures in bench/README.md (third pass).
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import express from 'express';
import Fastify from 'fastify';
import autocannon from 'autocannon';

const typeDefs = 'type Query { hello: String }';
const resolvers = { Query: { hello: () => 'x' } };

async function expressApp() {
  const server = new ApolloServer({ typeDefs, resolvers });
  await server.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(server));
  return new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${s.address().port}/graphql`)); });
}
async function fastifyApp() {
  const app = Fastify();
  const server = new ApolloServer({ typeDefs, resolvers, plugins: [fastifyApolloDrainPlugin(app)] });
  await server.start();
  await app.register(fastifyApollo(server));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${app.server.address().port}/graphql`;
}
const load = (url) => new Promise((res, rej) => autocannon({ url, connections: 8, duration: 10, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }, (e, r) => (e ? rej(e) : res(r))));
if (process.argv[2] === 'serve') {
  console.log(JSON.stringify(process.argv[3] === 'express' ? await expressApp() : await fastifyApp()));
} else {
const { spawn } = await import('node:child_process');
const serve = (kind) => { const c = spawn(process.execPath, [new URL(import.meta.url).pathname, 'serve', kind], { stdio: ['ignore', 'pipe', 'inherit'] }); return [c, new Promise((r) => c.stdout.once('data', (d) => r(JSON.parse(String(d)))))]; };
const [ce, pe] = serve('express');
const [cf, pf] = serve('fastify');
const child = { kill: () => { ce.kill(); cf.kill(); } };
const [e, f] = [await pe, await pf];
// GATEHOUSE_URL: also load a running Gatehouse (…/graphql) at the same time, for its share.
const g = process.env.GATEHOUSE_URL;
const targets = g ? [e, f, g] : [e, f];
await Promise.all(targets.map(load)); // warm-up
for (let i = 1; i <= 3; i++) {
  const [re, rf, rg] = await Promise.all(targets.map(load));
  console.log(`round ${i}: express ${re.requests.average} req/s (non-2xx ${re.non2xx}), fastify ${rf.requests.average} req/s (non-2xx ${rf.non2xx}), fastify/express ${(rf.requests.average / re.requests.average).toFixed(3)}` + (rg ? `, gatehouse ${rg.requests.average} req/s (non-2xx ${rg.non2xx}), gatehouse/express ${(rg.requests.average / re.requests.average).toFixed(3)}` : ''));
}
child.kill();
process.exit(0);
}
