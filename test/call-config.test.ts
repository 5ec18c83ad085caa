/**
 * The call is configuration: another definition file changes what the bot asks and accepts, and a
 * definition whose texts are missing in a language is refused at start with the key named.
 */
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/config/i18n.js';
import { loadCallDefinition } from '../src/config/load-call.js';
import { isAppError } from '../src/core/errors.js';
import { MemoryStore } from './helpers/memory-store.js';
import { makeBot } from './helpers/harness.js';
import { textOf } from './helpers/texts.js';

const SHORT = 'test/fixtures/calls/short-call.json';

describe('another call definition', () => {
  it('changes the topics, the word range, the deadline and the per-topic limit', async () => {
    const i18n = await createI18n();
    const short = loadCallDefinition(SHORT, i18n);
    const bot = await makeBot(new MemoryStore(), { call: () => short });
    await bot.say('/start');
    await bot.press('lang:en');
    await bot.press('consent:yes');
    let r = await bot.press('menu:submit');
    expect(r.at(-1)!.choices!.map((c) => c.id)).toEqual(['topic:1', 'topic:3']);
    await bot.press('topic:3');
    await bot.say('Dara');
    await bot.press('skip:organisation');
    await bot.press('skip:country');
    r = await bot.press('skip:email');
    expect(r.at(-1)!.text).toContain('Please write about 100 words (50–120 accepted)');
    await bot.say(textOf('en', 130));
    r = await bot.press('body:done');
    expect(r[0]!.text).toContain('10 words over the maximum');
    await bot.press('body:clear');
    await bot.press('clear:yes');
    await bot.say(textOf('en', 90));
    await bot.press('body:done');
    r = await bot.press('review:confirm');
    expect(r[0]!.text).toContain('receipt code');
    // Two per topic here: a second one on topic 3 is accepted.
    await bot.press('menu:submit');
    r = await bot.press('topic:3');
    expect(r.at(-1)!.text).toContain('What name should appear');
    await bot.say('/cancel');
    const about = await bot.press('menu:about');
    expect(about.map((m) => m.text).join('\n')).toContain('Deadline: 20 January 2030 at 23:59 (Baghdad time)');
  });

  it('is refused at start when a language lacks one of its texts, naming the file and key', async () => {
    const i18n = await createI18n();
    const file = join(mkdtempSync(join(tmpdir(), 'icssi-call-')), 'call.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(SHORT, 'utf8')), textsNamespace: 'call-nowhere' }));
    try {
      loadCallDefinition(file, i18n);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'CALL_DEFINITION_INVALID')).toBe(true);
      expect((err as Error).message).toContain('locales/ar/call-nowhere.json has no text for "topics.1.question"');
    }
  });

  it('a file that is not JSON is named with the reason', async () => {
    const i18n = await createI18n();
    const file = join(mkdtempSync(join(tmpdir(), 'icssi-call-')), 'call.json');
    writeFileSync(file, '{ "id": ');
    expect(() => loadCallDefinition(file, i18n)).toThrow(/is not valid JSON/);
    expect(() => loadCallDefinition(join(tmpdir(), 'no-such-call.json'), i18n)).toThrow(/does not exist/);
  });
});
