/**
 * Sending to Telegram: rate limits, network failures and 5xx, replies kept when a send fails for
 * good, long texts split under 4096 characters, and callback data within 64 bytes on every button
 * the flow can show.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { keyboard, render } from '../adapters/telegram/render.js';
import { textOf } from './helpers/texts.js';
import { callbackData, Person, startTelegram, type TelegramTestBot } from './helpers/telegram.js';

let bot: TelegramTestBot;
afterEach(() => bot?.close());

describe('sending with retries', () => {
  it('waits exactly retry_after on a 429, then the message arrives', async () => {
    bot = await startTelegram();
    const p = new Person(7100000001);
    bot.api.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    expect((await bot.post(p.command('start'))).status).toBe(200);
    const [limited, retried] = bot.api.callsOf('sendMessage');
    expect(limited!.status).toBe(429);
    expect(retried!.status).toBe(200);
    expect(retried!.params.text).toBe(limited!.params.text);
    // The one wait is retry_after to the millisecond (the sleep is injected: nothing waits for
    // real), and no network backoff (500 ms, 1 s) was added to it.
    expect(bot.sleeps).toEqual([1000]);
    expect(bot.api.messages(p.id).filter((m) => m.text.includes('automated'))).toHaveLength(2);
  });

  it('retries a dropped connection and a 502 with growing pauses, and the message arrives once', async () => {
    bot = await startTelegram();
    const p = new Person(7100000002);
    bot.api.fail('sendMessage', 'drop');
    bot.api.fail('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    expect((await bot.post(p.command('start'))).status).toBe(200);
    expect(bot.sleeps).toEqual([500, 1000]);
    const delivered = bot.api.callsOf('sendMessage').filter((c) => c.status === 200);
    expect(delivered.filter((c) => (c.params.text as string).includes('automated'))).toHaveLength(1);
    expect(delivered.at(-1)!.params.reply_markup).toBeDefined();
    expect(await bot.store.listPending(10)).toEqual([]);
  });

  it('keeps the reply in the outbox when Telegram stays down, and sends it on the next flush', async () => {
    bot = await startTelegram();
    const p = new Person(7100000003);
    bot.api.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { times: 3 });
    // The update is stored, so Telegram gets its 200 and does not redeliver it.
    expect((await bot.post(p.command('start'))).status).toBe(200);
    expect(bot.api.messages(p.id).filter((m) => m.text)).toHaveLength(3);
    expect(bot.api.callsOf('sendMessage').every((c) => c.status === 500)).toBe(true);
    const pending = await bot.store.listPending(10);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.pending[0]!.text).toContain('automated');
    expect(bot.dispatcher.metrics.value('platform_send_errors_total', { platform: 'telegram', kind: 'failed' })).toBe(1);

    expect(await bot.dispatcher.flushPending()).toBe(1);
    const ok = bot.api.callsOf('sendMessage').filter((c) => c.status === 200);
    expect(ok.map((c) => c.params.text as string)[0]).toContain('automated');
    expect(ok.at(-1)!.params.reply_markup).toBeDefined();
    expect(await bot.store.listPending(10)).toEqual([]);
  });
});

describe('long texts', () => {
  it('splits a 6,000-character review at a word boundary, every message at most 4096 characters', async () => {
    // A call that accepts long texts, so the review carries all of them.
    bot = await startTelegram({ call: (c) => ({ ...c, words: { min: 150, max: 2000, target: 250 } }) });
    const p = new Person(7100000004);
    for (const u of [p.command('start'), p.press('lang:en'), p.press('consent:yes'), p.press('menu:submit'), p.press('topic:1'), p.text('Kawa'),
      p.press('skip:organisation'), p.press('skip:country'), p.press('skip:email')]) await bot.post(u);
    const part1 = textOf('en', 540);
    const part2 = textOf('en', 540);
    await bot.post(p.text(part1));
    await bot.post(p.text(part2));
    expect(part1.length + part2.length).toBeGreaterThan(6000);
    const before = bot.api.messages(p.id).length;
    await bot.post(p.press('body:done'));
    const review = bot.api.messages(p.id).slice(before);
    expect(review.length).toBeGreaterThanOrEqual(2);
    for (const m of review) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(bot.api.calls.filter((c) => c.status === 400)).toEqual([]);
    // The cut falls between two words: the first part ends with a whole word, the second begins with one.
    const words = new Set(`${part1} ${part2}`.split(/\s+/));
    const split = review.findIndex((m) => m.text.includes(part1.slice(0, 60)));
    const head = review[split]!.text.split(/\s+/).at(-1)!;
    const tail = review[split + 1]!.text.split(/\s+/)[0]!;
    expect(words.has(head), `"${head}" is a whole word`).toBe(true);
    expect(words.has(tail), `"${tail}" is a whole word`).toBe(true);
    // Nothing was lost: the parts together hold the whole text, and the buttons come last.
    const joined = review.map((m) => m.text).join(' ').replace(/\s+/g, ' ');
    expect(joined).toContain(part2.replace(/\s+/g, ' ').slice(-200));
    expect(review.at(-1)!.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['review:confirm', 'review:edit']);
    expect(review.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
  });
});

describe('buttons', () => {
  it('every button the flow can show has callback data of at most 64 bytes', async () => {
    bot = await startTelegram();
    const p = new Person(7100000005, 'ckb');
    const go = async (...updates: ReturnType<Person['text']>[]) => {
      for (const u of updates) expect((await bot.post(u)).status).toBe(200);
    };
    await go(p.command('start'), p.press('lang:ckb'), p.press('consent:yes'), p.press('menu:about'), p.press('menu:lang'), p.press('lang:ckb'),
      p.press('menu:submit'), p.press('topic:3'), p.text('Shirin'), p.text('Kurdistan Social Forum'), p.text('Iraq'), p.press('skip:email'),
      p.text(textOf('ckb', 200)), p.press('body:undo'), p.text(textOf('ckb', 200)), p.press('body:done'), p.press('review:edit'),
      p.press('edit:back'), p.press('review:confirm'));
    const code = /ICS-[0-9A-Z]{6}/.exec(bot.api.messages(p.id).map((m) => m.text).join('\n'))![0];
    await go(p.press('menu:submit'), p.press('topic:1'), p.command('cancel'), p.press('menu:submit'), p.press('draft:continue'),
      p.press('details:same'), p.command('status'), p.press(`mine:edit:${code}`), p.press('review:edit'), p.press('edit:back'),
      p.command('status'), p.press(`mine:withdraw:${code}`), p.press('withdraw:no'), p.command('delete'), p.press('delete:no'));
    const data = callbackData(bot.api);
    const prefixes = new Set(data.map((d) => d.split(':')[0]));
    // The walk reached every kind of button, so the check below covers them.
    for (const kind of ['lang', 'consent', 'menu', 'topic', 'skip', 'body', 'review', 'edit', 'draft', 'details', 'mine', 'withdraw', 'delete']) {
      expect(prefixes, `buttons "${kind}:…" were shown`).toContain(kind);
    }
    const tooLong = data.filter((d) => Buffer.byteLength(d, 'utf8') > 64 || d.length === 0);
    expect(tooLong).toEqual([]);
    expect(bot.api.calls.filter((c) => c.status === 400)).toEqual([]);
  });

  it('puts two short buttons on a row and long ones alone', () => {
    const rows = keyboard([
      { id: 'consent:yes', label: 'I agree' },
      { id: 'consent:no', label: 'No, thanks' },
      { id: 'topic:1', label: '1. Iraqi civil society in ten years of change' },
      { id: 'menu:back', label: 'Menu' },
    ]).inline_keyboard;
    expect(rows.map((r) => r.map((b) => (b as { callback_data: string }).callback_data))).toEqual([['consent:yes', 'consent:no'], ['topic:1'], ['menu:back']]);
  });

  it('refuses to render callback data Telegram would refuse (over 64 bytes)', () => {
    expect(() => render({ text: 'x', choices: [{ id: `mine:edit:${'ك'.repeat(30)}`, label: 'x' }] })).toThrow(/64/);
  });
});
