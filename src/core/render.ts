/**
 * Turns the flow's replies (keys and parameters) into translated OutboundMessages.
 */
import type { i18n as I18n } from 'i18next';
import type { CallDefinition } from '../domain/call-definition.js';
import type { Locale } from '../domain/records.js';
import type { Params, ParamValue, Reply, ReplyChoice } from '../flow/replies.js';
import type { OutboundMessage } from './types.js';
import { INTL_LOCALE } from '../domain/intl-locale.js';

// First-strong-isolate … pop-directional-isolate: Latin text (a code, an e-mail, a link) inside an
// Arabic or Kurdish sentence keeps its own direction and does not reorder the sentence around it.
const FSI = '\u2068';
const PDI = '\u2069';


export class Renderer {
  constructor(
    private readonly i18n: I18n,
    private readonly call: CallDefinition,
  ) {}

  dir(lng: Locale): 'ltr' | 'rtl' {
    return this.i18n.dir(lng) === 'rtl' ? 'rtl' : 'ltr';
  }

  text(key: string, lng: Locale, params?: Params): string {
    return this.i18n.t(key, { lng, ...this.resolve(params, lng) }) as string;
  }

  reply(r: Reply, lng: Locale): OutboundMessage {
    const paragraphs = [this.text(r.key, lng, r.params), ...(r.more ?? []).map((p) => this.text(p.key, lng, p.params))];
    const out: OutboundMessage = { text: paragraphs.filter((p) => p !== '').join('\n\n'), dir: this.dir(lng), key: r.key, lang: lng };
    if (r.choices && r.choices.length > 0) out.choices = r.choices.map((c) => this.choice(c, lng));
    if (r.expectsText) out.expectsText = true;
    return out;
  }

  choice(c: ReplyChoice, lng: Locale): { id: string; label: string } {
    return { id: c.id, label: this.text(c.key, lng, c.params) };
  }

  formatTime(iso: string, lng: Locale): string {
    const when = new Intl.DateTimeFormat(INTL_LOCALE[lng], {
      timeZone: this.call.timezone,
      dateStyle: 'long',
      timeStyle: 'short',
    }).format(new Date(iso));
    const zone = this.i18n.t(`${this.call.textsNamespace}:timezoneName`, { lng });
    return `${when} (${zone})`;
  }

  private resolve(params: Params | undefined, lng: Locale): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(params ?? {})) out[k] = this.value(v, lng);
    return out;
  }

  private value(v: ParamValue, lng: Locale): string | number {
    if (typeof v === 'string' || typeof v === 'number') return v;
    if ('ltr' in v) return this.dir(lng) === 'rtl' && v.ltr !== '' ? `${FSI}${v.ltr}${PDI}` : v.ltr;
    if ('time' in v) return this.formatTime(v.time, lng);
    return this.text(v.t, lng, v.params);
  }
}
