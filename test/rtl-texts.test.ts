/**
 * Right-to-left done fully: in Arabic and Sorani texts every command and file type is isolated
 * (FSI…PDI) so "/delete" never shows as "delete/"; a person's own Latin words echoed inside an
 * RTL reply are isolated too, while what is stored stays byte-exact.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isolateLatinRuns } from '../src/core/render.js';

const FSI = '\u2068';
const PDI = '\u2069';

function strings(o: unknown, path = ''): [string, string][] {
  if (typeof o === 'string') return [[path, o]];
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

describe('RTL texts', () => {
  for (const lng of ['ar', 'ckb']) {
    it(`${lng}: commands and file types are isolated in every text`, () => {
      const bare: string[] = [];
      // The texts the bot says: the JSON namespaces (understanding.txt holds examples it learns from).
      for (const file of readdirSync(new URL(`../locales/${lng}/`, import.meta.url)).filter((f) => f.endsWith('.json'))) {
        // Slack's texts isolate their /icssi commands with LRM marks already.
        if (file === 'slack.json' || file === 'cli.json') continue;
        const json = JSON.parse(readFileSync(new URL(`../locales/${lng}/${file}`, import.meta.url), 'utf8'));
        for (const [key, value] of strings(json)) {
          for (const m of value.matchAll(/\{\{p\}\}\w+|\.(?:txt|docx|pdf)\b/g)) {
            const before = value[m.index - 1];
            const after = value[m.index + m[0].length];
            if (before !== FSI || after !== PDI) bare.push(`${file} ${key}: ${m[0]}`);
          }
        }
      }
      expect(bare).toEqual([]);
    });
  }

  it('isolates Latin runs in an echoed text and leaves the rest as it was', () => {
    const text = 'كتبتُ عن Basra Social Forum في 2018 ومع ICSSI.';
    const out = isolateLatinRuns(text);
    expect(out).toBe(`كتبتُ عن ${FSI}Basra Social Forum${PDI} في 2018 ومع ${FSI}ICSSI.${PDI}`);
    expect(out.replace(/[\u2068\u2069]/g, '')).toBe(text);
  });
});
