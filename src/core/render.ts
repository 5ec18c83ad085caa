/**
 * Turns the flow's replies (keys and parameters) into translated OutboundMessages.
 */
import type { i18n as I18n } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { Locale } from '../domain/records.js';
import type { Params, ParamValue, Reply, ReplyChoice } from '../flow/replies.js';
import type { Choice, OutboundMessage } from './types.js';
import { dateAndClock, formatDay, formatDays } from './dates.js';

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
    const paragraphs = [this.text(r.key, r.lng ?? lng, r.params, vars), ...(r.more ?? []).map((p) => this.text(p.key, p.lng ?? lng, p.params, vars))];
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

  /** "26 November 2026 at 12:00 (Baghdad time)": the date and the clock apart, in the reader's words. */
  formatTime(iso: string, lng: Locale): string {
    const { date, clock } = dateAndClock(iso, lng, this.call.timezone);
    const zone = this.i18n.t(`${this.call.textsNamespace}:timezoneName`, { lng });
    return this.i18n.t('dates.dateTime', { lng, date, time: clock, zone });
  }

  formatDays(days: [string, string], lng: Locale): string {
    return formatDays(days, lng);
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
    if ('dates' in v) return formatDays(v.dates, lng);
    if ('day' in v) return formatDay(v.day, lng);
    if ('userText' in v) return this.dir(lng) === 'rtl' ? isolateLatinRuns(v.userText) : v.userText;
    return this.text(v.t, lng, v.params, vars);
  }
}
