/**
 * The translations in locales/<lng>/<namespace>.json: same keys in every language, the plural
 * forms each language needs, the same {{placeholders}}, texts really written in Arabic script for
 * Arabic and Sorani, and button labels short enough for Messenger's quick replies (20 characters).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource } from 'i18next';
import { describe, expect, it } from 'vitest';

const LOCALES_DIR = fileURLToPath(new URL('../locales/', import.meta.url));
const LNGS = ['en', 'ar', 'ckb'] as const;
type Lng = (typeof LNGS)[number];
const RTL_LNGS: readonly Lng[] = ['ar', 'ckb'];

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*([^}\s]+)\s*\}\}/g;

/** Keys whose value is a button label: Messenger cuts quick replies at 20 characters. */
const BUTTON_KEY = new RegExp(
  '^(' +
    [
      'bot:menu\\.(?!prompt)\\w+', // menu.prompt and menu.promptNoConsent are messages, not buttons
      'bot:consent\\.(accept|decline)',
      'bot:submit\\.(done|undo|clear|clearYes|keepText|addToText|replaceText)',
      'bot:review\\.(confirm|change)',
      'bot:review\\.fields\\.\\w+',
      'bot:draft\\.(continue|discard)',
      'bot:mine\\.withdrawYes',
      'bot:mine\\.(edit|withdraw)Short', // measured with {{code}} as written; rendered: messenger-graph.test.ts
      'bot:submit\\.sameDetailsShort',
      'bot:delete\\.yes',
      'bot:receipt\\.showText',
      'bot:common\\.\\w+',
      'call-[\\w-]+:topics\\.\\d+\\.short',
    ].join('|') +
    ')$',
);
const MAX_BUTTON = 20;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** "ns:a.b.c" → value, for every string leaf of every namespace of one language. */
function flatten(value: Json, prefix: string, out: Map<string, string>): void {
  if (typeof value === 'string') {
    out.set(prefix, value);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${prefix}: expected a string or an object, found ${JSON.stringify(value)}`);
  }
  for (const [k, v] of Object.entries(value)) flatten(v, prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`, out);
}

function namespacesOf(lng: Lng): string[] {
  const dir = join(LOCALES_DIR, lng);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

function readJson(lng: Lng, ns: string): Record<string, Json> {
  const file = join(LOCALES_DIR, lng, `${ns}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Json>;
  } catch (e) {
    throw new Error(`locales/${lng}/${ns}.json is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

const RAW: Record<Lng, Record<string, Record<string, Json>>> = { en: {}, ar: {}, ckb: {} };
const STRINGS: Record<Lng, Map<string, string>> = { en: new Map(), ar: new Map(), ckb: new Map() };
for (const lng of LNGS) {
  for (const ns of namespacesOf(lng)) {
    RAW[lng][ns] = readJson(lng, ns);
    flatten(RAW[lng][ns]!, `${ns}:`, STRINGS[lng]);
  }
}
const ALL_NAMESPACES = [...new Set(LNGS.flatMap(namespacesOf))].sort();

const baseKey = (key: string): string => key.replace(PLURAL_SUFFIX, '');
const suffixOf = (key: string): string | undefined => PLURAL_SUFFIX.exec(key)?.[1];

function baseKeys(lng: Lng): Set<string> {
  return new Set([...STRINGS[lng].keys()].map(baseKey));
}

/** Base keys that have a plural suffix in at least one language. */
const PLURAL_BASES = new Set(LNGS.flatMap((lng) => [...STRINGS[lng].keys()].filter((k) => suffixOf(k)).map(baseKey)));
const ALL_BASES = [...new Set(LNGS.flatMap((lng) => [...baseKeys(lng)]))].sort();

/** Every value of a base key in one language: the key itself, or all its plural forms. */
function formsOf(lng: Lng, base: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (const [k, v] of STRINGS[lng]) if (k === base || (suffixOf(k) && baseKey(k) === base)) forms.set(k, v);
  return forms;
}

function placeholders(value: string): Set<string> {
  return new Set([...value.matchAll(PLACEHOLDER)].map((m) => m[1]!));
}

const withoutPlaceholders = (value: string): string => value.replace(PLACEHOLDER, '');
const hasLetter = (value: string): boolean => /\p{L}/u.test(withoutPlaceholders(value));
const hasArabicLetter = (value: string): boolean =>
  [...withoutPlaceholders(value)].some((ch) => ch >= '\u0600' && ch <= '\u06FF' && /\p{L}/u.test(ch));

/** The language's own names are written in each language's own script, in every file. */
const isLanguageName = (key: string): boolean => key.startsWith('bot:language.names.');

const pluralCategories = (lng: Lng): string[] => [...new Intl.PluralRules(lng).resolvedOptions().pluralCategories].sort();

describe('locale files', () => {
  it('every language has every namespace file', () => {
    const missing = LNGS.flatMap((lng) =>
      ALL_NAMESPACES.filter((ns) => !namespacesOf(lng).includes(ns)).map((ns) => `locales/${lng}/${ns}.json is missing`),
    );
    expect(missing, 'namespace files missing').toEqual([]);
  });

  it('every language has every key of every other language (plural suffixes reduced to the base key)', () => {
    const problems: string[] = [];
    for (const lng of LNGS) {
      const own = baseKeys(lng);
      for (const other of LNGS) {
        if (other === lng) continue;
        for (const key of baseKeys(other)) if (!own.has(key)) problems.push(`${lng} lacks "${key}" (present in ${other})`);
      }
    }
    expect(problems, 'keys missing in some language').toEqual([]);
  });

  it('a key is either plain or plural in each language, never both', () => {
    const problems: string[] = [];
    for (const lng of LNGS) {
      for (const base of PLURAL_BASES) {
        if (STRINGS[lng].has(base)) problems.push(`${lng}: "${base}" exists both without a plural suffix and with one`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every plural key has exactly the plural forms Intl.PluralRules lists for the language', () => {
    expect(pluralCategories('ar'), 'Arabic plural categories').toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    expect(pluralCategories('ckb'), 'Sorani plural categories').toEqual(['one', 'other']);
    const problems: string[] = [];
    for (const lng of LNGS) {
      const expected = pluralCategories(lng);
      for (const base of PLURAL_BASES) {
        const found = [...formsOf(lng, base).keys()].map(suffixOf).filter((s): s is string => s !== undefined).sort();
        const missing = expected.filter((c) => !found.includes(c));
        const extra = found.filter((c) => !expected.includes(c));
        if (missing.length > 0) problems.push(`${lng}: "${base}" lacks the form(s) ${missing.map((c) => `_${c}`).join(', ')}`);
        if (extra.length > 0) problems.push(`${lng}: "${base}" has form(s) ${extra.map((c) => `_${c}`).join(', ')} that ${lng} does not use`);
      }
    }
    expect(problems, 'plural forms').toEqual([]);
  });

  it('Arabic and Sorani texts are written in Arabic script', () => {
    const problems: string[] = [];
    for (const lng of RTL_LNGS) {
      for (const [key, value] of STRINGS[lng]) {
        if (isLanguageName(key) || !hasLetter(value)) continue;
        if (!hasArabicLetter(value)) problems.push(`${lng}: "${key}" has no Arabic-script letter (untranslated?): ${JSON.stringify(value)}`);
      }
    }
    expect(problems, 'untranslated values').toEqual([]);
  });

  it('Sorani uses Kurdish letters and Arabic does not (ی ک ە, not ي ك ة)', () => {
    const problems: string[] = [];
    for (const [key, value] of STRINGS.ckb) {
      if (isLanguageName(key)) continue;
      const wrong = withoutPlaceholders(value).match(/[\u0643\u064A\u0629\u0649]/gu);
      if (wrong) problems.push(`ckb: "${key}" uses Arabic letter(s) ${[...new Set(wrong)].join(' ')}, Sorani writes ک ی ە`);
    }
    for (const [key, value] of STRINGS.ar) {
      if (isLanguageName(key)) continue;
      const wrong = withoutPlaceholders(value).match(/[\u06A9\u06CC\u06D5\u06CE\u06C6\u06B5\u0695]/gu);
      if (wrong) problems.push(`ar: "${key}" uses Kurdish/Persian letter(s) ${[...new Set(wrong)].join(' ')}`);
    }
    expect(problems, 'wrong letters for the language').toEqual([]);
  });

  it('every key has the same {{placeholders}} in every language (only Arabic-style plural forms may leave out {{count}})', () => {
    const problems: string[] = [];
    for (const base of ALL_BASES) {
      const reference = new Set([...formsOf('en', base).values()].flatMap((v) => [...placeholders(v)]));
      for (const lng of LNGS) {
        const forms = formsOf(lng, base);
        if (forms.size === 0) continue; // reported by the missing-keys test
        const union = new Set([...forms.values()].flatMap((v) => [...placeholders(v)]));
        const missing = [...reference].filter((p) => !union.has(p));
        const extra = [...union].filter((p) => !reference.has(p));
        if (missing.length > 0) problems.push(`${lng}: "${base}" lacks ${missing.map((p) => `{{${p}}}`).join(', ')}`);
        if (extra.length > 0) problems.push(`${lng}: "${base}" has ${extra.map((p) => `{{${p}}}`).join(', ')}, which English does not have`);
        // Each single form keeps every placeholder; a plural form may say "one word" instead of {{count}}.
        for (const [key, value] of forms) {
          const own = placeholders(value);
          const lost = [...reference].filter((p) => !own.has(p) && !(p === 'count' && suffixOf(key)));
          if (lost.length > 0 && lng !== 'en') problems.push(`${lng}: "${key}" lacks ${lost.map((p) => `{{${p}}}`).join(', ')}`);
        }
      }
    }
    expect(problems, 'placeholder mismatches').toEqual([]);
  });

  it(`button labels are at most ${MAX_BUTTON} characters (Messenger quick replies)`, () => {
    const labels = LNGS.flatMap((lng) => [...STRINGS[lng]].filter(([key]) => BUTTON_KEY.test(key)).map(([key, value]) => ({ lng, key, value })));
    // The list of buttons is not empty by mistake: every language has them all.
    for (const lng of LNGS) expect(labels.filter((l) => l.lng === lng).length, `${lng} button labels found`).toBeGreaterThanOrEqual(30);
    const tooLong = labels
      .filter(({ value }) => value.length > MAX_BUTTON)
      .map(({ lng, key, value }) => `${lng}: "${key}" is ${value.length} characters: ${JSON.stringify(value)}`);
    expect(tooLong, 'labels over the limit').toEqual([]);
  });
});

describe('i18next with these resources', () => {
  const resources: Resource = {};
  for (const lng of LNGS) resources[lng] = RAW[lng] as Resource[string];

  async function instance() {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources,
      lng: 'en',
      fallbackLng: 'en',
      supportedLngs: [...LNGS],
      defaultNS: 'bot',
      ns: ALL_NAMESPACES,
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    } as Parameters<typeof i18n.init>[0]);
    return i18n;
  }

  it('writes Arabic and Sorani right to left', async () => {
    const i18n = await instance();
    expect(i18n.dir('ar')).toBe('rtl');
    expect(i18n.dir('ckb')).toBe('rtl');
    expect(i18n.dir('en')).toBe('ltr');
  });

  it('picks the Arabic zero, one, two, few, many and other forms of submit.progress', async () => {
    const i18n = await instance();
    const progress = RAW.ar.bot!.submit as Record<string, string>;
    const seen = new Map<string, string>();
    for (const n of [0, 1, 2, 3, 11, 100]) {
      const category = new Intl.PluralRules('ar').select(n);
      const text = i18n.t('submit.progress', { lng: 'ar', count: n, target: 250 });
      expect(hasArabicLetter(text), `count ${n} gave a non-Arabic text (English fallback?): ${text}`).toBe(true);
      const template = progress[`progress_${category}`];
      expect(template, `ar submit.progress_${category} exists`).toBeDefined();
      const expected = template!.replaceAll('{{count}}', String(n)).replaceAll('{{target}}', '250');
      expect(text, `count ${n} should use the "${category}" form`).toBe(expected);
      seen.set(category, template!);
    }
    expect([...seen.keys()].sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    const fiveForms = ['zero', 'one', 'two', 'few', 'many'].map((c) => seen.get(c));
    expect(new Set(fiveForms).size, 'zero, one, two, few and many are five different texts').toBe(5);
  });

  it('no Arabic or Sorani key falls back to English, whatever the count', async () => {
    const i18n = await instance();
    const params = {
      target: 250, min: 150, max: 350, total: 120, length: 5000, n: 1, code: 'ICSSI-X7K2', topic: 'T', question: 'Q', title: 'T',
      name: 'N', email: 'e@example.org', website: 'http://example.org', facebook: 'https://facebook.com/x', time: 'T', value: 'v',
      organisation: 'O', country: 'C', text: 'X', state: 'S', revision: 2, media: 'M', command: '/x',
    };
    const problems: string[] = [];
    for (const lng of RTL_LNGS) {
      for (const base of ALL_BASES) {
        if (isLanguageName(base) || !hasLetter(STRINGS.en.get(base) ?? formsOf('en', base).values().next().value ?? '')) continue;
        const [ns, key] = base.split(':') as [string, string];
        const counts = PLURAL_BASES.has(base) ? [0, 1, 2, 3, 11, 100, 101] : [undefined];
        for (const count of counts) {
          const text = i18n.t(key, { ...params, lng, ns, ...(count === undefined ? {} : { count }) });
          if (!hasArabicLetter(text)) problems.push(`${lng}: ${base}${count === undefined ? '' : ` (count ${count})`} → ${JSON.stringify(text)}`);
        }
      }
    }
    expect(problems, 'texts that fell back to English').toEqual([]);
  });
});
