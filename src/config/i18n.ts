/**
 * Loads every locales/<lng>/<namespace>.json into one i18next instance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { LOCALES } from '../domain/records.js';

export const LOCALES_DIR = new URL('../../locales/', import.meta.url).pathname;

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

export async function createI18n(resources: Resource = readLocaleResources()): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    defaultNS: 'bot',
    ns: Object.keys(resources.en ?? {}),
    // Replies are plain text, not HTML: escaping would show &amp; to people.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<I18n['init']>[0]);
  return instance;
}
