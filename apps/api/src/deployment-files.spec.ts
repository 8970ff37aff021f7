// Issue 9, Packaging: this machine has no Docker engine, so the Dockerfile and docker-compose.yml
// are checked statically: dclint (the compose-spec schema and its mistake-catching rules, see
// .dclintrc.yml), dockerfile-utils (the Docker language server's validator), and the topology the
// README's deployment section promises.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  healthcheck?: unknown;
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
  const services = compose.services;
  const instances = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('passes dclint (compose-spec schema and rules)', () => {
    expect(() =>
      execFileSync(join(ROOT, 'node_modules/.bin/dclint'), ['-c', '.dclintrc.yml', 'docker-compose.yml'], { cwd: ROOT, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('runs PostgreSQL, Redis, Mailpit and two instances of the service, wired by environment', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'mailpit']));
    expect(instances.length).toBeGreaterThanOrEqual(2);
    for (const [name, s] of instances) {
      const env = s.environment ?? {};
      expect({ name, db: env.DATABASE_URL, redis: env.REDIS_URL, smtp: env.SMTP_URL, mode: env.NODE_ENV }).toEqual({
        name,
        db: expect.stringMatching(/^postgres:\/\/[^@]+@postgres:5432\//),
        redis: 'redis://redis:6379',
        smtp: 'smtp://mailpit:1025',
        mode: 'production',
      });
      expect(s.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        mailpit: { condition: 'service_healthy' },
      });
    }
    for (const dep of ['postgres', 'redis', 'mailpit']) expect({ dep, healthcheck: Boolean(services[dep].healthcheck) }).toEqual({ dep, healthcheck: true });
  });

  it('pins every image and publishes only on loopback (Mailpit shows every code)', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.image) expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/:[\w.-]+$/) });
      for (const port of s.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
    expect(services.postgres.ports).toBeUndefined();
    expect(services.redis.ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = text.split('\n').filter((l) => /^FROM\s/i.test(l));
  const runtime = text.slice(text.lastIndexOf('\nFROM '));

  it('has no problems dockerfile-utils reports', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`)).toEqual([]);
  });

  it('builds in one stage and runs from a slim one, as a non-root user, with a readiness health check', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime).toMatch(/^USER (?!root\b)\S+/m);
    expect(runtime).toMatch(/^HEALTHCHECK[\s\S]*\/health\/ready/m);
    expect(runtime).toMatch(/^CMD \["npm", "run", "start:prod"\]/m);
    expect(runtime).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
  });
});
