import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../../config/src/config.schema';
import { dataSourceOptions } from '../data-source-options';
import { runMigrations } from '../migration-runner';

/**
 * `npm run migration:run`: applies pending migrations (they also run at every boot).
 * `npm run migration:generate -- <name>`: writes a timestamped raw-SQL migration skeleton. The
 * schema lives in these migrations only (no TypeORM entities: every table's SQL is in its owner's
 * repository), so there is no entity diff to generate from.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      await runMigrations(dataSource, (m) => console.log(m));
      console.log('migrations are up to date');
      return;
    }
    if (command === 'generate') {
      if (!name || !/^[a-z0-9-]+$/.test(name)) throw new Error('usage: npm run migration:generate -- <kebab-case-name>');
      await runMigrations(dataSource, (m) => console.log(m));
      const ts = Date.now();
      const cls = name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()) + ts;
      const up = '    await q.query(`\n      -- your schema change\n    `);';
      const down = '    await q.query(`\n      -- and how to undo it\n    `);';
      const dir = resolve('libs/database/src/migrations');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${ts}-${name}.ts`);
      writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n/** Raw SQL, reviewed like code; append the class to migrations/index.ts. */\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      console.log(`wrote ${file}`);
      return;
    }
    throw new Error('usage: migrate run | generate <name>');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
