import { ComposedStatement, prepared, trackingPools } from './sql';

/** A stand-in for pg's Client: records what each query was given. */
class RecordingClient {
  static seen: unknown[] = [];
  query(config: unknown, values?: unknown, callback?: unknown): unknown {
    RecordingClient.seen.push({ config, values, callback });
    return undefined;
  }
}

class RecordingPool {
  constructor(readonly options: Record<string, unknown>) {}
}

function clientOf(prepare: boolean): RecordingClient {
  const driver = trackingPools({ Pool: RecordingPool, Client: RecordingClient }, prepare);
  const pool = new driver.Pool({});
  const Client = (pool.options.Client ?? RecordingClient) as typeof RecordingClient;
  return new Client();
}

describe('prepared statements (issue 21)', () => {
  beforeEach(() => {
    RecordingClient.seen = [];
  });

  it('a marked statement runs as a named statement, one name per text; others stay unnamed', () => {
    const client = clientOf(true);
    const a = prepared('SELECT 1 WHERE $1::int = 1');
    const b = prepared('SELECT 2 WHERE $1::int = 1');
    const done = () => undefined;
    client.query(a, [1], done);
    client.query(a, [2]);
    client.query(b, [3]);
    client.query('SELECT 3', [4]);
    const [first, second, third, plain] = RecordingClient.seen as Array<{
      config: { name?: string; text?: string } | string;
      values: unknown;
      callback: unknown;
    }>;
    expect(first).toEqual({ config: { name: expect.stringMatching(/^gh_\d+$/), text: a }, values: [1], callback: done });
    expect(second.config).toEqual(first.config);
    expect(second.values).toEqual([2]);
    expect(third.config).toEqual({ name: expect.stringMatching(/^gh_\d+$/), text: b });
    expect((third.config as { name: string }).name).not.toBe((first.config as { name: string }).name);
    expect(plain.config).toBe('SELECT 3');
  });

  it('off (DATABASE_PREPARED_STATEMENTS=off): marked statements run unnamed, as text', () => {
    const client = clientOf(false);
    const a = prepared('SELECT 1');
    client.query(a, []);
    expect((RecordingClient.seen[0] as { config: unknown }).config).toBe(a);
  });

  it('marking twice is marking once; a composed statement is marked', () => {
    expect(prepared(prepared('SELECT 1'))).toBe(prepared('SELECT 1'));
    const s = new ComposedStatement();
    s.with('x', `SELECT ${s.p(1)}::int AS n`);
    let text = '';
    void s.run({ query: async (sql: string) => ((text = sql), []) } as never, 'SELECT n FROM x');
    expect(text).toBe(prepared(`WITH x AS (SELECT $1::int AS n)\nSELECT n FROM x`));
  });
});
