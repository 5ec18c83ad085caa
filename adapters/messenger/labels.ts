/**
 * Quick-reply and button titles: Messenger cuts them at 20 characters (quick replies) and refuses
 * longer button titles. The flow's plain labels were written to fit (test/locales.test.ts); labels
 * with a parameter may not ("1. التحديات والإنجازات", "کێشانەوەی ICS-7K4QM9", "Same details as
 * before (Layla Hassan)"). For those, shorter per-language labels from locales/<lng>/messenger.json;
 * cutting at a word with an ellipsis is the last resort.
 */
import type { i18n as I18n } from 'i18next';
import type { Choice } from '../../src/core/types.js';

export const MAX_TITLE = 20;
const FSI = '\u2068';
const PDI = '\u2069';
const ELLIPSIS = '…';

/** Cuts at the last space that keeps at least half the title, else mid-word; never splits a pair. */
export function truncateTitle(label: string, max = MAX_TITLE): string {
  if (label.length <= max) return label;
  let cut = label.slice(0, max - ELLIPSIS.length);
  const space = cut.lastIndexOf(' ');
  if (space >= max / 2) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // An isolate opened but not closed would leave the rest of the title in the wrong direction.
  const open = cut.lastIndexOf(FSI);
  if (open > cut.lastIndexOf(PDI)) cut = cut.slice(0, open);
  return cut.trimEnd() + ELLIPSIS;
}

export class Titles {
  constructor(
    private readonly i18n: I18n,
    /** The call's texts namespace: topic buttons use the topic's short title alone. */
    private readonly textsNamespace: string,
  ) {}

  /** A title that fits, in the language the message is written in. */
  of(choice: Choice, lng: string | undefined): string {
    if (choice.label.length <= MAX_TITLE || !lng) return truncateTitle(choice.label);
    return truncateTitle(this.shorter(choice.id, lng) ?? choice.label);
  }

  private shorter(id: string, lng: string): string | null {
    const t = (key: string, params: Record<string, string> = {}) => this.i18n.t(key, { lng, ...params }) as string;
    const ltr = (s: string) => (this.i18n.dir(lng) === 'rtl' ? `${FSI}${s}${PDI}` : s);
    // "2. Rebuilding Iraq": the question text lists the numbered topics; the button needs the title.
    let m = /^topic:(\d+)$/.exec(id);
    if (m) return t(`${this.textsNamespace}:topics.${m[1]}.short`);
    m = /^mine:(edit|withdraw):(.+)$/.exec(id);
    if (m) return t(`messenger:choices.${m[1]}`, { code: ltr(m[2]!) });
    if (id === 'details:same') return t('messenger:choices.sameDetails');
    return null;
  }
}
