/**
 * How storage is laid out (issue 21): the performance machinery is reached only through the
 * engine (src/storage/prisma-engine.ts), each port module imports no other port module, and
 * nothing asks what class the store is: the store exposes the ports it has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importGraph, sources } from './helpers/import-graph.js';

const ENGINE = 'src/storage/prisma-engine.ts';

/** The performance machinery, and the modules of it that may import one another. */
const MACHINERY = ['src/storage/context-cache.ts', 'src/storage/prisma-fast-path.ts', 'src/storage/sqlite-group-commit.ts', 'src/storage/pg-outbox-group.ts'];

/** One module per port (src/core/ports.ts and the desk's and announcements' ports). */
const PORT_MODULES = [
  'src/storage/prisma-conversations.ts',
  'src/storage/prisma-lease-holders.ts',
  'src/storage/prisma-notices.ts',
  'src/storage/prisma-organiser-reads.ts',
  'src/storage/prisma-purge.ts',
  'src/storage/prisma-health.ts',
  'src/storage/prisma-announcements.ts',
  'src/storage/prisma-desk.ts',
];

const graph = importGraph(['src', 'adapters', 'bench', 'scripts']);

describe('storage ports', () => {
  it('reaches the context cache, the fast path and the group commits only through the engine', () => {
    const reaching = [...graph]
      .filter(([from, to]) => from !== ENGINE && !MACHINERY.includes(from) && to.some((t) => MACHINERY.includes(t)))
      .map(([from]) => from);
    expect(reaching).toEqual([]);
  });

  it('keeps each port in its own module, which imports no other port module', () => {
    for (const file of PORT_MODULES) expect(graph.has(file), file).toBe(true);
    const crossing = [...graph].filter(([from]) => PORT_MODULES.includes(from)).flatMap(([from, to]) => to.filter((t) => PORT_MODULES.includes(t)).map((t) => `${from} → ${t}`));
    expect(crossing).toEqual([]);
  });

  it('never asks whether the store is the Prisma store', () => {
    const asking = ['src', 'adapters', 'test', 'bench', 'scripts']
      .flatMap((dir) => sources(dir))
      .filter((f) => /instanceof\s+Prisma\w*Store/.test(readFileSync(f, 'utf8')) && !f.endsWith('storage-ports.test.ts'));
    expect(asking).toEqual([]);
  });
});
