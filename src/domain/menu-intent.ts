/**
 * Typed words at the menu that name one of its actions without being a button's exact words:
 * "I'd like to submit a contribution", "أريد المشاركة", "دەمەوێت بەشداری بکەم". Recognised like the
 * FAQ questions (faq.ts): patterns of folded stems in English, Arabic and Sorani, whatever the
 * chat's language. The action whose matching pattern is the most specific (the longest stems)
 * wins, so "بەشدارییەکانم" (my contributions) is not "بەشداری" (take part); a tie names no action.
 */
import { foldPatterns, matchedKeys } from './match-text.js';

export const MENU_ACTIONS = ['submit', 'mine', 'about', 'help', 'lang'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

const PATTERNS: Record<MenuAction, string[][]> = {
  submit: [
    ['submit'], ['contribute'], ['participate'], ['take part'], ['send', 'contribution'], ['new', 'contribution'], ['write', 'contribution'],
    ['ارسال'], ['ارسل'], ['اشارك'], ['المشاركه'], ['اساهم'], ['تقديم', 'مساهمه'], ['اكتب', 'مساهمه'],
    ['ناردن'], ['بنێرم'], ['بەشداری'], ['بەشداربم'], ['وتار', 'بنووسم'],
  ],
  mine: [
    // Plural, or with a verb of looking: "submit my contribution" is sending one.
    ['my', 'contributions'], ['see', 'my', 'contribution'], ['show', 'my', 'contribution'], ['my submission'], ['status'], ['receipt'], ['what i sent'],
    ['مساهماتي'], ['مساهمتي'], ['ايصال'], ['حاله', 'مساهم'],
    ['بەشدارییەکانم'], ['بەشدارییەکەم'], ['وتارەکەم'], ['پسوولە'],
  ],
  about: [
    ['about', 'conference'], ['about', 'icssi'], ['tell', 'about'], ['conference'],
    ['عن', 'المؤتمر'], ['المؤتمر'], ['معلومات'],
    ['دەربارەی', 'کۆنفرانس'], ['کۆنفرانس'], ['زانیاری'],
  ],
  help: [['help'], ['مساعده'], ['ساعدني'], ['یارمەتی']],
  lang: [['language'], ['change', 'language'], ['اللغه'], ['زمان']],
};

const FOLDED = foldPatterns(MENU_ACTIONS, PATTERNS);

/** The menu action a message names, or null when it names none or two equally. */
export function menuActionOf(text: string): MenuAction | null {
  const matched = matchedKeys(text, FOLDED, (p) => p.join('').length);
  const top = Math.max(0, ...matched.map((m) => m.score));
  const best = matched.filter((m) => m.score === top);
  return best.length === 1 ? best[0]!.key : null;
}
