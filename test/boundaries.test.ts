/**
 * The house rule: core, flow and domain import no platform SDK, no Prisma and no HTTP module, so
 * the conversation can be tested and reused without any of them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DataEffect as CoreDataEffect } from '../src/core/ports.js';
import type { DataEffect } from '../src/domain/effects.js';

const FORBIDDEN = [/^grammy/, /^@grammyjs\//, /^@slack\//, /^facebook-nodejs-business-sdk/, /^@prisma\//, /^prisma/, /generated\/prisma/,
  /^pg$/, /^better-sqlite3/, /^node:http/, /^node:https/, /^http$/, /^https$/, /^undici/, /^node-fetch/, /^axios/, /\/storage\//, /\/adapters\//, /\/server\//];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('layer boundaries', () => {
  for (const layer of ['src/core', 'src/flow', 'src/domain']) {
    it(`${layer} imports no platform SDK, Prisma or HTTP module`, () => {
      const offenders = sources(layer).flatMap((f) => importsOf(f).filter((i) => FORBIDDEN.some((r) => r.test(i))).map((i) => `${f} → ${i}`));
      expect(offenders).toEqual([]);
    });
  }
  it('the check sees imports at all (it cannot pass on nothing)', () => {
    expect(importsOf('src/core/dispatcher.ts').length).toBeGreaterThan(5);
  });
  it('the flow\'s data effects (src/domain) and the store port\'s are one type', () => {
    // Checked by tsc (npm run typecheck) until src/core/ports.ts re-exports the domain's union.
    expectTypeOf<DataEffect>().toEqualTypeOf<CoreDataEffect>();
  });
});
