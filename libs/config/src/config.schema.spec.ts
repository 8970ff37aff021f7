import { ConfigError, loadConfig } from './config.schema';

const base = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(48), SECRETS_ENCRYPTION_KEY: 'k'.repeat(48) };

describe('loadConfig: hashConcurrency (hashes in libuv pool at once)', () => {
  it('is the thread pool size minus one: a thread stays free for the driver handshake, DNS and files', () => {
    expect(loadConfig(base).hashConcurrency).toBe(3);
    expect(loadConfig({ ...base, UV_THREADPOOL_SIZE: '8' }).hashConcurrency).toBe(7);
    expect(loadConfig({ ...base, UV_THREADPOOL_SIZE: '2' }).hashConcurrency).toBe(1);
  });

  it('still hashes with a one-thread pool', () => {
    expect(loadConfig({ ...base, UV_THREADPOOL_SIZE: '1' }).hashConcurrency).toBe(1);
  });

  it('refuses what libuv would not take, naming the variable', () => {
    for (const bad of ['0', '1025', 'four', '2.5']) {
      expect(() => loadConfig({ ...base, UV_THREADPOOL_SIZE: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, UV_THREADPOOL_SIZE: bad })).toThrow(/UV_THREADPOOL_SIZE/);
    }
  });
});

describe('loadConfig: DATABASE_PREPARED_STATEMENTS', () => {
  it('is on unless turned off (a pooler that cannot keep prepared statements)', () => {
    expect(loadConfig(base).database.prepareStatements).toBe(true);
    expect(loadConfig({ ...base, DATABASE_PREPARED_STATEMENTS: 'off' }).database.prepareStatements).toBe(false);
    expect(() => loadConfig({ ...base, DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });
});
