/**
 * Turns the flow's replies (keys and parameters) into translated OutboundMessages.
 */
import type { i18n as I18n } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { Locale } from '../domain/records.js';
import type { Params, ParamValue, Reply, ReplyChoice } from '../flow/replies.js';
import type { Choice, OutboundMessage } from './types.js';
import { INTL_LOCALE } from '../domain/intl-locale.js';

// First-strong-isolate … pop-directional-isolate: Latin text (a code, an e-mail, a link) inside an
// Arabic or Kurdish sentence keeps its own direction and does not reorder the sentence around it.
const FSI = '\u2068';
const PDI = '\u2069';

// A run of Latin words (with the digits, spaces and punctuation between them) inside a person's
// text: isolated, it keeps its left-to-right order inside an Arabic or Kurdish reply.
const LATIN_RUN = /[A-Za-z\u00C0-\u024F](?:[A-Za-z\u00C0-\u024F0-9.,'’@:/_-]|[ \t](?=[ \t]*[A-Za-z\u00C0-\u024F0-9]))*/g;

export function isolateLatinRuns(text: string): string {
  return text.replace(LATIN_RUN, (run) => `${FSI}${run}${PDI}`);
}

export interface TextVars {
  /** The command prefix on the person's platform. */
  p: string;
}

export const DEFAULT_VARS: TextVars = { p: '/' };

export class Renderer {
  constructor(
    private readonly i18n: I18n,
    private readonly call: CallDefinition,
  ) {}

  dir(lng: Locale): 'ltr' | 'rtl' {
    return this.i18n.dir(lng) === 'rtl' ? 'rtl' : 'ltr';
  }

  /**
   * `vars` are values every text may use: `p` is how commands are typed on the person's platform
   * ("/" before `status` on Telegram; "/icssi " on Slack, where `/status` is Slack's own command).
   */
  text(key: string, lng: Locale, params?: Params, vars: TextVars = DEFAULT_VARS): string {
    return this.i18n.t(key, { lng, ...vars, ...this.resolve(params, lng, vars) }) as string;
  }

  reply(r: Reply, lng: Locale, vars: TextVars = DEFAULT_VARS): OutboundMessage {
    const paragraphs = [this.text(r.key, lng, r.params, vars), ...(r.more ?? []).map((p) => this.text(p.key, lng, p.params, vars))];
    const out: OutboundMessage = { text: paragraphs.filter((p) => p !== '').join('\n\n'), dir: this.dir(lng), key: r.key, lang: lng };
    if (r.choices && r.choices.length > 0) out.choices = r.choices.map((c) => this.choice(c, lng, vars));
    if (r.expectsText) out.expectsText = true;
    if (r.role) out.role = r.role;
    return out;
  }

  choice(c: ReplyChoice, lng: Locale, vars: TextVars = DEFAULT_VARS): Choice {
    const label = this.text(c.key, lng, c.params, vars);
    return c.short ? { id: c.id, label, short: this.text(c.short.key, lng, c.short.params, vars) } : { id: c.id, label };
  }

  formatTime(iso: string, lng: Locale): string {
    const when = this.timeFormat(lng).format(new Date(iso));
    const zone = this.i18n.t(`${this.call.textsNamespace}:timezoneName`, { lng });
    return `${when} (${zone})`;
  }

  /**
   * One formatter per language, kept: building an Intl.DateTimeFormat loads ICU data and cost a
   * sixth of the message path's CPU when every receipt and status line built its own.
   */
  private readonly timeFormats = new Map<Locale, Intl.DateTimeFormat>();
  private timeFormat(lng: Locale): Intl.DateTimeFormat {
    let f = this.timeFormats.get(lng);
    if (!f) {
      f = new Intl.DateTimeFormat(INTL_LOCALE[lng], { timeZone: this.call.timezone, dateStyle: 'long', timeStyle: 'short' });
      this.timeFormats.set(lng, f);
    }
    return f;
  }

  /** "Thursday 31 January – Friday 1 February 2019", in the reader's language and digits. */
  formatDays([start, end]: [string, string], lng: Locale): string {
    const from = new Date(`${start}T00:00:00Z`);
    const to = new Date(`${end}T00:00:00Z`);
    const options = { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
    if (lng !== 'ckb') return new Intl.DateTimeFormat(INTL_LOCALE[lng], options).formatRange(from, to);
    // ICU's Sorani pattern puts the year first with Latin commas; written Sorani says
    // "پێنجشەممە ٣١ی کانوونی دووەم – هەینی ١ی شوباتی ٢٠١٩" (ezafe ی after the day and month).
    const part = (d: Date) => {
      const parts = new Intl.DateTimeFormat('ckb', options).formatToParts(d);
      const get = (t: string) => (parts.find((p) => p.type === t)?.value ?? '').replace(/\u06BE/g, '\u0647');
      return { weekday: get('weekday'), day: get('day'), month: get('month'), year: get('year') };
    };
    const a = part(from);
    const b = part(to);
    const first = a.year === b.year ? `${a.weekday} ${a.day}ی ${a.month}` : `${a.weekday} ${a.day}ی ${a.month}ی ${a.year}`;
    return `${first} – ${b.weekday} ${b.day}ی ${b.month}ی ${b.year}`;
  }

  private resolve(params: Params | undefined, lng: Locale, vars: TextVars): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(params ?? {})) out[k] = this.value(v, lng, vars);
    return out;
  }

  private value(v: ParamValue, lng: Locale, vars: TextVars): string | number {
    if (typeof v === 'string' || typeof v === 'number') return v;
    if ('ltr' in v) return this.dir(lng) === 'rtl' && v.ltr !== '' ? `${FSI}${v.ltr}${PDI}` : v.ltr;
    if ('time' in v) return this.formatTime(v.time, lng);
    if ('dates' in v) return this.formatDays(v.dates, lng);
    if ('userText' in v) return this.dir(lng) === 'rtl' ? isolateLatinRuns(v.userText) : v.userText;
    return this.text(v.t, lng, v.params, vars);
  }
}
