/**
 * Loads every locales/<lng>/<namespace>.json into one i18next instance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { LOCALES, type Locale } from '../domain/records.js';
import { INTL_LOCALE } from '../domain/intl-locale.js';
import { projectPath } from './paths.js';

export const LOCALES_DIR = projectPath('locales');

export function readLocaleResources(dir = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lng of LOCALES) {
    resources[lng] = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng]![file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
  }
  return resources;
}

/**
 * Numbers are written in each language's own digits (Sorani: ٢٥٠; Arabic and English: 250), the
 * same digits its dates use. A formatter module that i18next runs on every interpolated value.
 */
const numberFormatter = {
  type: 'formatter' as const,
  init() {},
  add() {},
  addCached() {},
  format(value: unknown, _format: string | undefined, lng: string | undefined) {
    if (typeof value !== 'number') return value;
    return digitsFor(INTL_LOCALE[(lng ?? 'en') as Locale] ?? 'en-GB').format(value);
  },
};

// Making an Intl.NumberFormat costs far more than using one, and this runs for every number in
// every reply: one per locale, kept.
const formats = new Map<string, Intl.NumberFormat>();

function digitsFor(locale: string): Intl.NumberFormat {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { useGrouping: false });
    formats.set(locale, f);
  }
  return f;
}

export async function createI18n(resources: Resource = readLocaleResources()): Promise<I18n> {
  const instance = i18next.createInstance().use(numberFormatter as never);
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    defaultNS: 'bot',
    ns: Object.keys(resources.en ?? {}),
    // Replies are plain text, not HTML: escaping would show &amp; to people.
    // skipOnVariables: a participant's text containing "$t(…)" or "{{…}}" is shown as typed,
    // never expanded into another message.
    interpolation: { escapeValue: false, alwaysFormat: true, skipOnVariables: true },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<I18n['init']>[0]);
  return instance;
}
