/**
 * A new platform is a folder in adapters/: no application file outside the adapters, the locales
 * and the composition root names a platform in code (identifiers, string, template and regular
 * expression literals; comments may name them, to say which platform rule a line serves). The
 * core asks an adapter's declared capabilities (src/core/adapter.ts) instead.
 *
 * Scanned: every source file under src/ but the tests beside it. Not scanned: adapters/ (where
 * platforms live), locales/ (texts), and test/, bench/ and scripts/, which drive the platforms'
 * fakes and are no part of the application.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { platformNamings } from './helpers/platform-names.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The composition root and the entry points: they assemble the adapters with the core, so they
 * may name them (src/app*.ts: the app, its announcements and desk; src/main.ts: the server;
 * src/cli/main.ts and src/cli/commands.ts: the CLI's entry point and its command list, whose
 * platform setup commands load the adapters' setup modules). adapters/registry.ts is the root's
 * list of platforms, inside adapters/.
 */
const COMPOSITION_ROOT = [/^src\/main\.ts$/, /^src\/app[^/]*\.ts$/, /^src\/cli\/(main|commands)\.ts$/];

/** Files outside the root that must name platforms, each with its reason. Keep this list short. */
const ALLOWED: Record<string, string> = {
  // Stored rows are read against the known platforms (src/storage/rows.ts refuses a row naming
  // another), and the flow, storage and the desk share this one list: a new platform adds its name.
  'src/domain/platform.ts': 'the list of known platforms, which stored rows are checked against',
  // The organiser command table says on which surfaces each command is offered (the CLI, the desk
  // and the chat platforms whose adapters render organiser commands); a new platform that offers
  // organiser commands adds its surface here and a handler map in its folder.
  'src/organisers/commands.ts': 'the surfaces each organiser command is offered on',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [relative(ROOT, path).split('\\').join('/')] : [];
  });
}

const files = sourceFiles(join(ROOT, 'src'));
const inRoot = (file: string) => COMPOSITION_ROOT.some((r) => r.test(file));

describe('platform names', () => {
  it('are found in identifiers, strings, templates and regular expressions, not in comments', () => {
    const source = [
      '// Telegram answers 403 here',
      '/** Messenger: 24 hours. */',
      "const a = 'plain';",
      "const b = 'messenger';",
      'const telegramRate = 29;',
      'const c = `${a}:slack:${b}`;',
      'const d = /whatsapp/;',
      'const e = { Slack: 1 };',
    ].join('\n');
    expect(platformNamings(source)).toEqual([
      { line: 4, text: "'messenger'" },
      { line: 5, text: 'telegramRate' },
      { line: 6, text: '}:slack:${' },
      { line: 7, text: '/whatsapp/' },
      { line: 8, text: 'Slack' },
    ]);
  });

  it('appear in no application file outside the adapters and the composition root', () => {
    expect(files.length).toBeGreaterThan(50);
    const found = files
      .filter((f) => !inRoot(f) && !(f in ALLOWED))
      .flatMap((f) => platformNamings(readFileSync(join(ROOT, f), 'utf8'), f).map((n) => `${f}:${n.line}: ${n.text}`));
    expect(found, 'ask the adapter (its capabilities, src/core/adapter.ts) instead of naming a platform').toEqual([]);
  });

  it('allows only files that still need it and exist', () => {
    for (const f of Object.keys(ALLOWED)) {
      expect(files, f).toContain(f);
      expect(platformNamings(readFileSync(join(ROOT, f), 'utf8')).length, `${f} no longer names a platform: take it off the list`).toBeGreaterThan(0);
    }
    // The root's patterns still match files (a rename would silently widen nothing, but say so).
    for (const r of COMPOSITION_ROOT) expect(files.some((f) => r.test(f)), String(r)).toBe(true);
  });
});
