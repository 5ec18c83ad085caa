/**
 * A person with distinctive details in three scripts, the conversation that submits them, and
 * scans that look for any of them in the bytes of the SQLite files or in the rows of every
 * PostgreSQL table.
 */
import fs from 'node:fs';
import type { Bot } from './harness.js';
import { textOf } from './texts.js';
import { connectRaw } from '../../src/storage/raw-connection.js';

/** Each value appears nowhere else: finding its bytes means the person is still on disk. */
export function personOf(tag: string, placeAr: string, placeCkb: string) {
  return {
    name: `Zubaida ${tag}walani زبيدة`,
    organisation: `Qaladiza ${tag} Circle ڕێکخراوی قەڵادزێ`,
    country: `Kurdistan${tag}`,
    email: `zubaida.${tag.toLowerCase()}@example.org`,
    sentences: [
      `The brickmakers of ${tag}wara marched at dawn.`,
      `عمال الطابوق في ${placeAr} ساروا عند الفجر.`,
      `کرێکارانی خشتی ${placeCkb} بەرەبەیان ڕێپێوانیان کرد.`,
    ],
  };
}

export type Person = ReturnType<typeof personOf>;

/** The contribution text: the distinctive sentences among ordinary words (about 200 words). */
export function textFor(p: Person): string {
  return `${p.sentences.join(' ')} ${textOf('en', 190)}`;
}

/** Every string that must be gone, as it is written (UTF-8). */
export function needles(p: Person): string[] {
  return [p.name, p.organisation, p.country, p.email, ...p.sentences];
}

/** Through the console flow on `bot`: consent, details, text, up to the review screen. */
export async function toReview(bot: Bot, user: string, p: Person): Promise<void> {
  await bot.say('/start', user);
  await bot.press('lang:en', user);
  await bot.press('consent:yes', user);
  await bot.press('menu:submit', user);
  await bot.say('2', user);
  await bot.say(p.name, user);
  await bot.say(p.organisation, user);
  await bot.say(p.country, user);
  await bot.say(p.email, user);
  await bot.say(textFor(p), user);
  await bot.say('Done', user);
}

/** Through the console flow on `bot`: consent, details, text, review, send. Returns the receipt code. */
export async function submitAs(bot: Bot, user: string, p: Person): Promise<string> {
  await toReview(bot, user, p);
  const r = await bot.press('review:confirm', user);
  const code = r.map((m) => m.text).join('\n').match(/ICS-[A-Z0-9]{6}/)?.[0];
  if (!code) throw new Error('no receipt');
  return code;
}

/** The strings found in the database file and its -wal (absent files count as empty). */
export function foundInFiles(file: string, strings: string[]): string[] {
  const bytes = ['', '-wal', '-journal'].map((s) => (fs.existsSync(file + s) ? fs.readFileSync(file + s) : Buffer.alloc(0)));
  return strings.filter((s) => bytes.some((b) => b.includes(Buffer.from(s, 'utf8'))));
}

/** The strings found in any row of any table of the PostgreSQL database (each row as text). */
export async function foundInRows(url: string, strings: string[]): Promise<string[]> {
  const raw = await connectRaw({ provider: 'postgresql', url });
  try {
    const tables = await raw.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    const found = new Set<string>();
    for (const { name } of tables) {
      const rows = await raw.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
      for (const s of strings) if (rows.some((r) => r.row.includes(s))) found.add(s);
    }
    return [...found];
  } finally {
    await raw.close();
  }
}
