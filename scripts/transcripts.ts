/**
 * `npm run transcripts`: writes docs/transcripts/{en,ar,ckb}.md — complete conversations with the
 * real bot through the console adapter, on a temporary SQLite database, with a fixed clock and
 * seeded receipt codes so the files change only when the bot's behaviour or texts change
 * (test/transcripts.test.ts fails when they are stale).
 *
 * Each script: the first screen (the console has no language hint), a first message that is a
 * question, the consent, a question at the menu, the flow with a slip (an emoji as name, "3."
 * pasted into the text) and its recovery, a question at the text step, the receipt, its "Show my
 * text" and /status.
 *
 * And docs/transcripts/typed.md: a person who types everything instead of pressing — a greeting
 * first (its script chooses the language), the menu's choices by their labels, "yes" to the terms, a question in
 * Iraqi Arabic, thanks, "1" at the text step (asked about), Done by its word.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { readConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/log.js';
import type { Locale } from '../src/domain/records.js';
import { buildRuntime } from '../src/runtime.js';

export const TRANSCRIPT_DIR = fileURLToPath(new URL('../docs/transcripts/', import.meta.url));
const NOW = new Date('2026-11-26T09:00:00Z');

const PARAGRAPHS: Record<Locale, [string, string, string]> = {
  en: [
    'Over the last ten years, civil society in Basra has learned to organise without waiting for permission. The protests of 2018 over water and electricity were led by young people who had never joined a party, and they kept their movement peaceful even when they were met with force. What we gained is trust between neighbourhoods, unions and students, and a habit of meeting every week to decide together. What we lack is protection: activists are threatened, and many have left the city. International partners helped most when they came to listen, documented what happened, and brought our demands to their own parliaments. Solidarity now means long-term support for local groups, not projects that end after six months.',
    'We ask ICSSI to keep the network open to new groups from the south and the west, to translate its meetings into Arabic and Kurdish, and to share resources for legal defence. Basra has shown that people can hold their leaders to account; the next step is to build institutions that last longer than a protest and that young people see as their own.',
    'The solidarity we need today is not a short visit or a project that ends after six months, but a long partnership that respects our priorities. We want friends abroad to follow the cases of threatened activists, to support independent media, and to help small groups learn from each other.',
  ],
  ar: [
    'خلال السنوات العشر الماضية تعلّم المجتمع المدني في البصرة أن ينظّم نفسه دون انتظار إذن من أحد. قاد احتجاجات عام 2018 على شحّ الماء وانقطاع الكهرباء شبابٌ لم ينتموا إلى أي حزب، وحافظوا على سلمية حراكهم حتى حين واجهتهم القوة. ما كسبناه هو الثقة بين الأحياء والنقابات والطلاب، وعادة الاجتماع كل أسبوع لنقرّر معًا. وما ينقصنا هو الحماية: فالناشطون يتعرّضون للتهديد، وكثيرون منهم غادروا المدينة. كان الشركاء الدوليون أكثر عونًا حين جاؤوا ليصغوا، ووثّقوا ما جرى، وحملوا مطالبنا إلى برلماناتهم.',
    'نطلب من ICSSI أن تبقي الشبكة مفتوحة أمام مجموعات جديدة من الجنوب والغرب، وأن تترجم اجتماعاتها إلى العربية والكردية، وأن تتقاسم الموارد اللازمة للدفاع القانوني. لقد أثبتت البصرة أن الناس قادرون على محاسبة مسؤوليهم؛ والخطوة التالية هي بناء مؤسسات تدوم أطول من أي احتجاج، ويراها الشباب ملكًا لهم.',
    'التضامن الذي نحتاجه اليوم ليس زيارة عابرة ولا مشروعًا ينتهي بعد ستة أشهر، بل شراكة طويلة تحترم أولوياتنا. نريد من أصدقائنا في الخارج أن يتابعوا قضايا الناشطين المهدَّدين، وأن يدعموا الإعلام المستقل، وأن يساعدوا المجموعات الصغيرة على التعلّم من تجارب بعضها.',
  ],
  ckb: [
    'لە ماوەی دە ساڵی ڕابردوودا، کۆمەڵگەی مەدەنی لە سلێمانی فێر بوو بەبێ چاوەڕوانیی مۆڵەت خۆی ڕێک بخات. خۆپیشاندانەکانی ساڵی ٢٠١٦ لەسەر مووچە و خزمەتگوزارییەکان لەلایەن گەنجانێکەوە بەڕێوەبران کە سەر بە هیچ حزبێک نەبوون، و تەنانەت کاتێک بە هێز ڕووبەڕوویان بوونەوە، بزووتنەوەکەیان بە ئاشتیانە هێشتەوە. ئەوەی بەدەستمان هێنا متمانەیە لە نێوان گەڕەکەکان و سەندیکاکان و خوێندکاران، و نەریتی کۆبوونەوەی هەفتانە بۆ ئەوەی پێکەوە بڕیار بدەین. ئەوەی کەممانە پاراستنە: چالاکوانان هەڕەشەیان لێ دەکرێت و زۆریان شارەکەیان جێهێشتووە.',
    'داوا لە ICSSI دەکەین تۆڕەکە بۆ گرووپە نوێیەکانی باشوور و ڕۆژئاوا کراوە بهێڵێتەوە، کۆبوونەوەکانی وەربگێڕێتە سەر عەرەبی و کوردی، و سەرچاوەکانی بەرگریی یاسایی هاوبەش بکات. سلێمانی نیشانی دا کە خەڵک دەتوانن لێپرسینەوە لە بەرپرسانیان بکەن؛ هەنگاوی داهاتوو بنیاتنانی دامەزراوەگەلێکە کە لە خۆپیشاندانێک زیاتر بمێننەوە و گەنجان بە هی خۆیانیان بزانن.',
    'ئەو هاوپشتییەی ئەمڕۆ پێویستمانە سەردانێکی کورت یان پرۆژەیەک نییە کە دوای شەش مانگ کۆتایی بێت، بەڵکو هاوبەشییەکی درێژخایەنە کە ڕێز لە ئەولەویەتەکانمان بگرێت. دەمانەوێت هاوڕێکانمان لە دەرەوە بەدواداچوون بۆ دۆسیەی ئەو چالاکوانانە بکەن کە هەڕەشەیان لێ دەکرێت، پشتگیریی ڕاگەیاندنی سەربەخۆ بکەن، و یارمەتی گرووپە بچووکەکان بدەن لە ئەزموونی یەکتر فێر ببن. هەروەها پێویستە دەنگی ژنان و گەنجان لە هەموو کۆبوونەوەیەکدا ببیسترێت.',
  ],
};

/** The lines a person types, in order. */
export function scriptFor(lng: Locale): string[] {
  const [one, two, three] = PARAGRAPHS[lng];
  const say = {
    en: { first: 'Hello! How many words should a contribution be?', deadline: 'What is the deadline?', file: 'Can I send a Word file?', remove: 'Remove last message', done: 'Done', name: 'Layla Hassan', org: 'Basra Youth Forum', country: 'Iraq' },
    ar: { first: 'مرحبا، كم كلمة يجب أن تكون المساهمة؟', deadline: 'ما هو الموعد النهائي؟', file: 'هل يمكنني إرسال ملف وورد؟', remove: 'حذف آخر رسالة', done: 'تم', name: 'ليلى حسن', org: 'منتدى شباب البصرة', country: 'العراق' },
    ckb: { first: 'سڵاو، بەشدارییەکە دەبێت چەند وشە بێت؟', deadline: 'دوا وادە کەیە؟', file: 'دەتوانم فایلی وۆرد بنێرم؟', remove: 'سڕینەوەی دوا نامە', done: 'تەواو', name: 'هێرۆ ئەحمەد', org: 'Sulaimani Youth Forum', country: 'عێراق' },
  }[lng];
  return [
    say.first, // the first words choose the language on the first screen; the question is answered, then the terms
    '1', // I agree
    say.deadline, // a question at the menu
    '2', // Send a contribution
    '3', // topic 3
    '👍', // a slip: an emoji is not a name
    say.name,
    say.org,
    say.country,
    '1', // skip the e-mail
    one,
    '3.', // a slip: a pasted heading is text, not a button
    say.remove, // the recovery: the last message is removed, and the bot says which
    say.file, // a question at the text step: answered, not added to the text
    two,
    three,
    say.done,
    '1', // Send
    '6', // Show my text (the receipt does not repeat it)
    '/status',
  ];
}

/** The lines of docs/transcripts/typed.md: everything typed, in everyday Arabic. */
export function typedScript(): string[] {
  const [one, two, three] = PARAGRAPHS.ar;
  return [
    'السلام عليكم', // a greeting on the three-language first screen: its script chooses Arabic, and the terms follow
    'yes', // the terms, agreed by typing
    'شكد كلمة لازم اكتب؟', // a question in Iraqi Arabic
    'شكراً',
    'إرسال مساهمة', // the menu's choice, by its label
    'إعادة بناء العراق', // the topic, by its title
    'ليلى حسن',
    'تخطي', 'تخطي', 'تخطي', // organisation, country, e-mail: skipped by the button's word
    one,
    two,
    three,
    '1', // beside Done on the console: asked about, not added to the text
    'تم', // Done, by its word
    'إرسال', // Send
  ];
}

const TITLES: Record<Locale, string> = { en: 'English', ar: 'Arabic (العربية)', ckb: 'Sorani Kurdish (کوردی)' };

/** Runs one scripted console conversation and returns it as Markdown. */
export async function transcript(lng: Locale): Promise<string> {
  const head = [
    `# A conversation in ${TITLES[lng]}`,
    '',
    'Written by `npm run transcripts`: the real bot, through the console, on a temporary database ' +
      '(the clock is fixed at ' + NOW.toISOString() + '). Do not edit by hand; `npm test` fails when this file is stale.',
    '',
    'Other languages: ' + (['en', 'ar', 'ckb'] as Locale[]).filter((l) => l !== lng).map((l) => `[${TITLES[l]}](${l}.md)`).join(' · ') + ' · [Typed answers](typed.md)',
    '',
  ];
  return head.join('\n') + '\n' + (await conversation(scriptFor(lng), `transcript-${lng}`)) + '\n';
}

/** docs/transcripts/typed.md: the typed conversation (typedScript) as Markdown. */
export async function typedTranscript(): Promise<string> {
  const head = [
    '# Typed answers: a greeting, "yes" to the terms, a question in Iraqi Arabic, choices by their labels',
    '',
    'Written by `npm run transcripts`: the real bot, through the console, on a temporary database ' +
      '(the clock is fixed at ' + NOW.toISOString() + '). Do not edit by hand; `npm test` fails when this file is stale.',
    '',
    'The person presses nothing: every choice is typed, by its words or its number.',
    '',
  ];
  return head.join('\n') + '\n' + (await conversation(typedScript(), 'transcript-typed')) + '\n';
}

/** The console conversation of `lines`, as Markdown blocks. */
async function conversation(lines: string[], user: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'icssi-transcript-'));
  let seed = 20190131;
  // A small deterministic generator: the same receipt code on every run.
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  // The bot as production assembles it (src/runtime.ts), on a temporary database, the default call.
  // Its secret kept as it was (shorter than a deployment may use): the files must not change.
  const config = { ...readConfig({ DATABASE_URL: `file:${join(dir, 'bot.db')}`, ICSSI_SECRET: 'transcripts-placeholder' }), secret: 'transcripts' };
  const runtime = await buildRuntime(config, {
    logger: silentLogger, clock: () => NOW, random, env: {},
  });
  try {
    const { core, dispatcher } = runtime.app;
    const blocks: string[] = [];
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => blocks.push('```text\n' + chunk.toString('utf8').trimEnd() + '\n```'));
    const adapter = new ConsoleAdapter({
      input: Readable.from(lines.map((l) => l + '\n')),
      output,
      user,
      handle: (event) => {
        if (event.kind === 'message' || event.kind === 'command') {
          const typed = event.kind === 'message' ? event.text : `/${event.command}${event.args ? ` ${event.args}` : ''}`;
          // The console opens with /start by itself; what the person typed is quoted.
          blocks.push(event.raw === '/start' && blocks.length === 0 ? '*(the console opens the conversation with `/start`)*' : `**Person:** ${typed}`);
        }
        return core.handle(event);
      },
    });
    runtime.connectAdapters([adapter]);
    await adapter.start();
    await dispatcher.drain();
    return blocks.join('\n\n');
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const lng of ['en', 'ar', 'ckb'] as Locale[]) {
    const file = join(TRANSCRIPT_DIR, `${lng}.md`);
    writeFileSync(file, await transcript(lng));
    process.stdout.write(`wrote docs/transcripts/${lng}.md\n`);
  }
  writeFileSync(join(TRANSCRIPT_DIR, 'typed.md'), await typedTranscript());
  process.stdout.write('wrote docs/transcripts/typed.md\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
