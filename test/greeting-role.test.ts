/**
 * The greeting is marked by the flow (OutboundMessage.role), and the platforms that show it their
 * own way (Messenger joins it to the next question, Slack adds its ways to take part) read that
 * mark, never the flow's translation key.
 */
import { describe, expect, it } from 'vitest';
import { joinGreeting } from '../adapters/messenger/welcome.js';
import { OPEN_FORM_CHOICE, slackWelcome } from '../adapters/slack/welcome.js';
import type { OutboundMessage } from '../src/core/types.js';
import { MemoryStore } from './helpers/memory-store.js';
import { makeBot } from './helpers/harness.js';

const question: OutboundMessage = { text: 'Which language?', key: 'language.prompt', lang: 'en', choices: [{ id: 'lang:en', label: 'English' }] };
const texts = { text: (key: string) => `[${key}]` };

describe('the flow marks its greeting', () => {
  it('on first contact, and when it is said again in the language the person writes in; nothing else is marked', async () => {
    const bot = await makeBot(new MemoryStore());
    const first = await bot.say('hello');
    expect(first.map((m) => m.role)).toEqual(['greeting', undefined]);
    const again = await bot.say('مرحبا');
    expect(again.filter((m) => m.role === 'greeting')).toHaveLength(1);
    expect(again.find((m) => m.role === 'greeting')!.lang).toBe('ar');
    const later = await bot.say('/start');
    expect(later.some((m) => m.role !== undefined)).toBe(false);
  });
});

describe('Messenger and Slack find the greeting by its role', () => {
  it('Messenger joins the marked reply to the next one, whatever its key, and leaves an unmarked one alone', () => {
    const marked: OutboundMessage = { text: 'Hello, I am a bot.', key: 'any.key', role: 'greeting' };
    expect(joinGreeting([marked, question])).toEqual([{ ...question, text: 'Hello, I am a bot.\n\nWhich language?' }]);
    const unmarked: OutboundMessage = { text: 'Hello, I am a bot.', key: 'start.greeting' };
    expect(joinGreeting([unmarked, question])).toEqual([unmarked, question]);
  });

  it('Slack extends the marked reply, whatever its key, and leaves an unmarked one alone', () => {
    const welcome = slackWelcome(texts, '/icssi ');
    const marked: OutboundMessage = { text: 'Hello, I am a bot.', key: 'any.key', lang: 'en', role: 'greeting' };
    const [first] = welcome([marked, question]);
    expect(first!.text).toBe('Hello, I am a bot.\n\n[slack:welcome.ways]');
    expect(first!.choices?.map((c) => c.id)).toEqual([OPEN_FORM_CHOICE]);
    const unmarked: OutboundMessage = { text: 'Hello, I am a bot.', key: 'start.greeting', lang: 'en' };
    expect(welcome([unmarked, question])).toEqual([unmarked, question]);
  });
});
