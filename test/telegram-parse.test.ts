/**
 * Telegram Update objects (fixtures shaped as the Bot API documents them) → InboundEvents.
 */
import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { parseUpdate, type ParsedUpdate } from '../adapters/telegram/parse.js';
import { fixture } from './helpers/telegram.js';

const now = new Date('2026-11-26T09:00:00Z');
const parse = (u: Update) => parseUpdate(u, { botUsername: 'IcssiCallBot', now: () => now });
const eventOf = (p: ParsedUpdate) => {
  if (p.type !== 'event') throw new Error(`expected an event, got ${p.type}`);
  return p.event;
};

describe('parseUpdate', () => {
  it('a text message: the chat, the person, the language hint and the update id', () => {
    const e = eventOf(parse(fixture('message-text')));
    expect(e).toMatchObject({
      kind: 'message', text: 'Layla', id: '734100001', platform: 'telegram', localeHint: 'en',
      conversation: { platform: 'telegram', chatId: '5112233445', userId: '5112233445' },
    });
    expect(e.receivedAt).toEqual(new Date(1764147600 * 1000));
  });

  it('a command addressed to this bot, and a deep link with its payload as args', () => {
    expect(eventOf(parse(fixture('message-command')))).toMatchObject({ kind: 'command', command: 'status', args: '' });
    expect(eventOf(parse(fixture('message-deep-link')))).toMatchObject({ kind: 'command', command: 'start', args: 'topic2' });
    const other = fixture('message-command');
    other.message!.text = '/status@SomeOtherBot';
    expect(parse(other)).toEqual({ type: 'ignore', reason: 'other-bot' });
  });

  it('an edited message, a button press and its callback query id', () => {
    expect(eventOf(parse(fixture('edited-message')))).toMatchObject({ kind: 'edit', text: 'Layla A.' });
    const p = parse(fixture('callback-query'));
    expect(p).toMatchObject({ type: 'event', callbackQueryId: '4382bfdwdsb323b2d9', event: { kind: 'choice', choice: 'consent:yes' } });
  });

  it('a document to download, and one over 20 MB refused without a download', () => {
    const p = parse(fixture('document'));
    expect(p).toMatchObject({
      type: 'event',
      event: { kind: 'file', media: 'document', fileName: 'contribution.docx' },
      document: { fileId: 'BQACAgIAAxkBAAIBZ2dGx0sAAb1dY2x5Xh4AAWgbWw8AAokyAAJr0uBKAAFn2Xq8Jv0eNgQ', fileName: 'contribution.docx' },
    });
    const big = fixture('document');
    big.message!.document!.file_size = 20 * 1024 * 1024 + 1;
    const q = parse(big);
    expect(q).toMatchObject({ type: 'event', event: { kind: 'file', media: 'document', problem: 'too-large' } });
    expect((q as { document?: unknown }).document).toBeUndefined();
  });

  it('photos, stickers, voice, video and anything else become media the flow answers clearly', () => {
    expect(eventOf(parse(fixture('photo')))).toMatchObject({ kind: 'file', media: 'image' });
    expect(eventOf(parse(fixture('sticker')))).toMatchObject({ kind: 'file', media: 'sticker' });
    const voice = fixture('message-text') as unknown as { message: Record<string, unknown> };
    delete voice.message.text;
    voice.message.voice = { file_id: 'AwACAgIAAxkBAAIBb2', file_unique_id: 'AgADbw', duration: 4, mime_type: 'audio/ogg', file_size: 9120 };
    expect(eventOf(parse(voice as unknown as Update))).toMatchObject({ kind: 'file', media: 'audio' });
    const video = fixture('message-text') as unknown as { message: Record<string, unknown> };
    delete video.message.text;
    video.message.video_note = { file_id: 'DQACAgIAAxkBAAIBcA', file_unique_id: 'AgADcA', length: 240, duration: 6 };
    expect(eventOf(parse(video as unknown as Update))).toMatchObject({ kind: 'file', media: 'video' });
    const location = fixture('message-text') as unknown as { message: Record<string, unknown> };
    delete location.message.text;
    location.message.location = { latitude: 33.3152, longitude: 44.3661 };
    expect(eventOf(parse(location as unknown as Update))).toMatchObject({ kind: 'file', media: 'other' });
  });

  it('my_chat_member "kicked" means the person blocked the bot: no event', () => {
    expect(parse(fixture('my-chat-member-kicked'))).toEqual({ type: 'membership', chatId: '5112233445', blocked: true });
    const back = fixture('my-chat-member-kicked');
    back.my_chat_member!.new_chat_member = { user: back.my_chat_member!.new_chat_member.user, status: 'member' };
    expect(parse(back)).toEqual({ type: 'membership', chatId: '5112233445', blocked: false });
  });

  it('ignores group chats: a contribution is not written where everybody reads it', () => {
    const group = fixture('message-text');
    group.message!.chat = { id: -1001234567890, type: 'supergroup', title: 'Activists' };
    expect(parse(group)).toEqual({ type: 'ignore', reason: 'not-private' });
  });
});
