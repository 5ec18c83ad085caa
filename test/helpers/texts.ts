/** Contribution texts of a given length in each script (counted by the project's countWords). */
const SENTENCES = {
  en: 'Civil society in Iraq has grown through protest and patient work in every city. ',
  ar: 'نما المجتمع المدني في العراق عبر الاحتجاج والعمل الصبور في كل مدينة. ',
  ckb: 'کۆمەڵگەی مەدەنی لە عێراق بە ناڕەزایی و کاری بە ئارامی لە هەموو شارێک گەشەی کرد. ',
} as const;

export type Lang = keyof typeof SENTENCES;

/** A text of exactly `words` words. */
export function textOf(lang: Lang, words: number): string {
  const pool = SENTENCES[lang].trim().split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pool[i % pool.length]!);
  return out.join(' ') + '.';
}
