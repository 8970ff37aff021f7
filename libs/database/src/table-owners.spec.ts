// Every table and view has one owning library, and only that library's SQL names it, in its
// repositories (issue 16; STYLE.md "Config and data"). Reads SQL keywords followed by a name in
// every .ts file under libs/ and apps/ (not migrations, tests, or the test harness) and fails on
// a name owned by another library, or named outside a repository file. The owner map is
// table-owners.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TABLE_OWNERS } from './table-owners';

const ROOT = join(__dirname, '..', '..', '..');
const MIGRATIONS = join(__dirname, 'migrations');
const SKIP_DIRS = new Set(['node_modules', 'migrations', 'client']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return SKIP_DIRS.has(name) || p === join(ROOT, 'libs', 'testing') ? [] : sourceFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [p] : [];
  });
}

/** The names SQL in `source` reads or writes: after FROM, JOIN, INTO, UPDATE, DELETE FROM, TABLE. */
function namedRelations(source: string): string[] {
  const names = [...source.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/g)].map((m) => m[1]);
  return [...new Set(names)];
}

/** The files whose SQL may name tables and views: repositories, and the jobs' retention and erasure parts. */
const SQL_FILE = /\.(?:repository|retention|erasure)\.ts$/;

/** `libs/<lib>/…` → `<lib>`; anything else (apps/) owns nothing. */
function libraryOf(file: string): string | null {
  const parts = relative(ROOT, file).split(sep);
  return parts[0] === 'libs' ? parts[1] : null;
}

describe('table ownership', () => {
  const files = [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps'))];

  it('finds the SQL to check', () => {
    expect(files.length).toBeGreaterThan(50);
    const named = files.flatMap((f) => namedRelations(readFileSync(f, 'utf8')).filter((n) => n in TABLE_OWNERS));
    expect(new Set(named).size).toBeGreaterThan(15);
    expect(namedRelations('SELECT 1 FROM accounts a JOIN "sessions" s ON …; DELETE FROM identifiers; INSERT INTO x')).toEqual([
      'accounts',
      'sessions',
      'identifiers',
      'x',
    ]);
  });

  it('gives every table and view the migrations create an owner', () => {
    const created = readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .flatMap((f) => [...readFileSync(join(MIGRATIONS, f), 'utf8').matchAll(/CREATE (?:TABLE|VIEW) ([a-z_][a-z0-9_]*)/g)].map((m) => m[1]));
    expect(created.length).toBeGreaterThan(15);
    expect(created.filter((name) => !(name in TABLE_OWNERS))).toEqual([]);
  });

  // Inside the owner, services keep the logic and call a repository (resolver → service →
  // repository, docs/architecture.md): the SQL that names a table or view lives in a
  // `*.repository.ts`, or in the owner's Nest-free retention (`*.retention.ts`) or erasure
  // (`*.erasure.ts`) parts of the jobs. libs/database (migrations, the data source) is exempt.
  it('keeps SQL that names a table or view in repository files', () => {
    const outside = files
      .filter((f) => libraryOf(f) !== null && libraryOf(f) !== 'database' && !SQL_FILE.test(f))
      .flatMap((f) =>
        namedRelations(readFileSync(f, 'utf8'))
          .filter((name) => name in TABLE_OWNERS)
          .map((name) => `${relative(ROOT, f)} names ${name}`),
      );
    expect(outside).toEqual([]);
  });

  it('lets only the owning library name a table or view in SQL', () => {
    const crossings = files.flatMap((f) => {
      const lib = libraryOf(f);
      return namedRelations(readFileSync(f, 'utf8'))
        .filter((name) => name in TABLE_OWNERS && TABLE_OWNERS[name] !== lib)
        .map((name) => `${relative(ROOT, f)} names ${name} (owned by ${TABLE_OWNERS[name]})`);
    });
    expect(crossings).toEqual([]);
  });
});
