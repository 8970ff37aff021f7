import { loadConfig } from '../../config/src/config.schema';
import { dataSourceOptions, isEmbeddedOptions } from './data-source-options';

// Several instances booting on one PostgreSQL migrate under an advisory lock; the embedded PGlite
// (one process) migrates without it. Which one a data source is must not depend on the `driver`
// option, which both set (a regression let two instances race through the migrations).
describe('isEmbeddedOptions', () => {
  it('is false for PostgreSQL (DATABASE_URL) and true for the embedded PGlite', () => {
    const server = dataSourceOptions(loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' }));
    const embedded = dataSourceOptions(loadConfig({ DATA_DIR: '/tmp/gatehouse-spec' }));
    expect(isEmbeddedOptions(server)).toBe(false);
    expect(isEmbeddedOptions(embedded)).toBe(true);
  });
});
