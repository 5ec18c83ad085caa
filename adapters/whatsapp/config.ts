/**
 * WhatsApp's configuration from the environment (documented in .env.example). WhatsApp is
 * configured when the access token, the phone number id, the app secret and the verify token are
 * all set: without the secret no webhook could be verified, without the number nothing be sent.
 */
import { AppError, LOCALES, type Locale } from '../../src/core/index.js';

/**
 * Which kinds of message go as an approved template outside the 24-hour window: announcements and
 * reminders (sent through the announcement pacer). A review decision outside the window is held
 * by the core's Notifier until the person writes, as on Messenger.
 */
export const TEMPLATE_KINDS = ['announcement'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface WhatsAppConfig {
  /** A system user's access token for the Cloud API (bearer token). */
  token: string;
  /** The business phone number's id: every send is POST /{version}/{phoneNumberId}/messages. */
  phoneNumberId: string;
  /** Signs every webhook (X-Hub-Signature-256). */
  appSecret: string;
  /** Chosen by us and typed into the app dashboard; Meta echoes it in the GET verification. */
  verifyToken: string;
  /** Where the Cloud API lives (a test fake can stand in), without a trailing slash. */
  apiRoot: string;
  /** The Graph API version in every path, e.g. v26.0. */
  version: string;
  /**
   * Approved template names per kind and language (WHATSAPP_TEMPLATE_ANNOUNCEMENT_<EN|AR>). Meta has no
   * Kurdish template language: Sorani speakers get the template of `soraniTemplateLang`.
   */
  templates: Partial<Record<TemplateKind, Partial<Record<'en' | 'ar', string>>>>;
  soraniTemplateLang: 'ar' | 'en';
  /**
   * Different people the business may start conversations with (templates outside the 24-hour
   * window) in any 24 hours: Meta's messaging limit, 250 for a new business portfolio, raised in
   * steps as Meta decides (WHATSAPP_NEW_PEOPLE_PER_DAY). Absent: DEFAULT_NEW_PEOPLE_PER_DAY.
   */
  newPeoplePerDay?: number;
}

/** Meta's messaging limit for a new business portfolio: 250 unique people per moving 24 hours. */
export const DEFAULT_NEW_PEOPLE_PER_DAY = 250;

export const DEFAULT_API_ROOT = 'https://graph.facebook.com';
export const DEFAULT_VERSION = 'v26.0';

function invalid(message: string): AppError {
  return new AppError('CONFIG_INVALID', message);
}

/** Null when WhatsApp is not configured. Messages never quote a token or a secret. */
export function readWhatsAppConfig(env: NodeJS.ProcessEnv = process.env): WhatsAppConfig | null {
  const token = env.WHATSAPP_TOKEN?.trim() ?? '';
  const phoneNumberId = env.WHATSAPP_PHONE_NUMBER_ID?.trim() ?? '';
  const appSecret = env.WHATSAPP_APP_SECRET?.trim() ?? '';
  const verifyToken = env.WHATSAPP_VERIFY_TOKEN?.trim() ?? '';
  const set = [token, phoneNumberId, appSecret, verifyToken].filter(Boolean).length;
  if (set === 0) return null;
  if (set < 4) {
    // Half a configuration is a mistake worth stopping for, not a silently missing platform.
    throw invalid('WhatsApp needs WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN together');
  }
  if (/\s/.test(token)) throw invalid('WHATSAPP_TOKEN contains a space (a pasted line break?)');
  if (!/^\d{1,32}$/.test(phoneNumberId)) throw invalid('WHATSAPP_PHONE_NUMBER_ID must be the number id (digits), not the phone number');
  const apiRoot = (env.WHATSAPP_API_ROOT?.trim() || DEFAULT_API_ROOT).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(apiRoot)) throw invalid('WHATSAPP_API_ROOT must be an http(s) origin such as https://graph.facebook.com');
  const version = env.WHATSAPP_GRAPH_VERSION?.trim() || DEFAULT_VERSION;
  if (!/^v\d+\.\d+$/.test(version)) throw invalid(`WHATSAPP_GRAPH_VERSION must look like v26.0, not "${version}"`);

  const templates: WhatsAppConfig['templates'] = {};
  for (const kind of TEMPLATE_KINDS) {
    for (const lng of ['en', 'ar'] as const) {
      const name = env[`WHATSAPP_TEMPLATE_${kind.toUpperCase()}_${lng.toUpperCase()}`]?.trim();
      if (!name) continue;
      // Meta's template names: lower-case letters, digits and underscores.
      if (!/^[a-z0-9_]{1,512}$/.test(name)) throw invalid(`WHATSAPP_TEMPLATE_${kind.toUpperCase()}_${lng.toUpperCase()} must be a template name (a-z, 0-9, _)`);
      (templates[kind] ??= {})[lng] = name;
    }
  }
  const sorani = env.WHATSAPP_SORANI_TEMPLATE_LANG?.trim() || 'ar';
  if (sorani !== 'ar' && sorani !== 'en') throw invalid('WHATSAPP_SORANI_TEMPLATE_LANG must be ar or en');
  const perDayRaw = env.WHATSAPP_NEW_PEOPLE_PER_DAY?.trim() || String(DEFAULT_NEW_PEOPLE_PER_DAY);
  // Digits only: "1e3", "250.5" or "-1" are typing mistakes, not a limit Meta gives.
  const newPeoplePerDay = /^\d{1,9}$/.test(perDayRaw) ? Number(perDayRaw) : 0;
  if (newPeoplePerDay < 1) throw invalid('WHATSAPP_NEW_PEOPLE_PER_DAY must be a positive whole number (Meta\'s messaging limit: 250, 2000, 10000, 100000…)');
  return { token, phoneNumberId, appSecret, verifyToken, apiRoot, version, templates, soraniTemplateLang: sorani, newPeoplePerDay };
}

/**
 * The template to send a person of language `lng` for `kind`, with Meta's language code; null if
 * none is configured at all. Sorani speakers get `soraniTemplateLang`'s (Meta has no Kurdish
 * template language). A language whose template is not configured gets the other one's, the
 * announcement's own text still inside it: without one the copy could not go at all, and the
 * window's refusal would leave the person marked unreachable.
 */
export function templateFor(config: WhatsAppConfig, kind: TemplateKind, lng: Locale): { name: string; language: string } | null {
  const byLang = config.templates[kind] ?? {};
  const wanted = lng === 'ckb' ? config.soraniTemplateLang : (LOCALES as readonly string[]).includes(lng) ? (lng as 'en' | 'ar') : 'en';
  const lang = byLang[wanted] ? wanted : wanted === 'ar' ? 'en' : 'ar';
  const name = byLang[lang];
  return name ? { name, language: lang } : null;
}

/** The languages templates are configured in: any, and the window's outside is 'template', else 'hold'. */
export function templateLocales(config: WhatsAppConfig): string[] {
  return (['en', 'ar'] as const).filter((lng) => config.templates.announcement?.[lng]);
}

/**
 * Whose language has no template of its own, and which language's they get instead (templateFor):
 * Sorani speakers always (Meta has no Kurdish template language), others when theirs is not set.
 */
export function templateSubstitutes(config: WhatsAppConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lng of LOCALES) {
    const template = templateFor(config, 'announcement', lng);
    if (template && template.language !== lng) out[lng] = template.language;
  }
  return out;
}
