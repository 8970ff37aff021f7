// Field resolvers run without guards (graphql.module.ts, fieldResolverEnhancers: ['filters']): a
// guard written on a @ResolveField would silently never run. This keeps anyone from writing one;
// protect the root field that leads to the type instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIBS = join(__dirname, '..', '..');

function resolverFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : resolverFiles(p);
    return name.endsWith('.resolver.ts') ? [p] : [];
  });
}

/** The decorator blocks (consecutive lines starting with @) that contain @ResolveField. */
function fieldDecoratorBlocks(source: string): string[][] {
  const blocks: string[][] = [];
  let block: string[] = [];
  for (const line of source.split('\n').map((l) => l.trim())) {
    if (line.startsWith('@') || (block.length && !/^[\w(]/.test(line) && !line.startsWith('async') && line !== '')) block.push(line);
    else {
      if (block.some((l) => l.startsWith('@ResolveField'))) blocks.push(block);
      block = [];
    }
  }
  return blocks;
}

describe('field resolvers', () => {
  const files = resolverFiles(LIBS);

  it('are found', () => {
    expect(files.length).toBeGreaterThan(3);
    expect(files.flatMap((f) => fieldDecoratorBlocks(readFileSync(f, 'utf8'))).length).toBeGreaterThan(3);
  });

  it('carry no @UseGuards of their own (it would never run)', () => {
    const offenders = files.flatMap((f) =>
      fieldDecoratorBlocks(readFileSync(f, 'utf8'))
        .filter((b) => b.some((l) => l.startsWith('@UseGuards')))
        .map((b) => `${f.slice(LIBS.length + 1)}: ${b.join(' ')}`),
    );
    expect(offenders).toEqual([]);
  });
});
