/**
 * kill -9 in the middle of sending, then a restart: the scenario of test/crash-resume.test.ts and
 * `npm run bench:crash`. The bot runs as a process on the given database; people go through the
 * first steps; then the fake Bot API holds every sendMessage (a slow Telegram), each person
 * presses "I agree", and the bot is killed while it holds those replies' leases. The replies
 * still stored then are read from the database; a new process is started and the run waits until
 * each person has received exactly those, in order (or the deadline passes).
 */
import { performance } from 'node:perf_hooks';
import type { FakeBotApi } from '../fakes/telegram-bot-api.js';
import type { RawTarget } from '../../src/storage/raw-connection.js';
import { BotProcess } from './bot-process.js';
import { Person } from './telegram.js';
import { storedReplies } from './stored-replies.js';

export interface CrashRunResult {
  /** Replies stored when the process was killed, per chat, in order. */
  stored: Map<string, string[]>;
  /** What each chat received after the restart, in order. */
  received: Map<string, string[]>;
  /** Stored replies never received after the restart. */
  lost: number;
  /** Chats whose messages after the restart are not exactly their stored replies, in order. */
  wrong: string[];
  /** Replies received twice: accepted by Telegram before the kill, unacknowledged, sent again. */
  repeated: number;
  /** Every sendMessage of this run. */
  sends: number;
  /** From the restart (spawn) to the last stored reply's arrival; NaN when not all arrived. */
  deliveredMs: number;
  /** From the restart to the server listening. */
  listeningMs: number;
  /** A button pressed again right after the restart was answered "from an earlier message" before its step's replies arrived. */
  noticeBeforeReplies: boolean;
}

/** Resolves true once `done` holds (checked at every Bot API call), false at the deadline. */
async function until(api: FakeBotApi, done: () => boolean, deadlineMs: number): Promise<boolean> {
  const end = performance.now() + deadlineMs;
  while (!done()) {
    const left = end - performance.now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      const onCall = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        api.events.off('call', onCall);
        resolve();
      }, left);
      api.events.once('call', onCall);
    });
  }
  return true;
}

const sendsTo = (api: FakeBotApi, from: number, chatId: string, to = api.calls.length) =>
  api.calls.slice(from, to).filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === chatId).map((c) => c.params.text as string);


export async function crashRun(opts: { api: FakeBotApi; databaseUrl: string; target: RawTarget; people: number; firstId: number; deadlineMs: number }): Promise<CrashRunResult> {
  const { api } = opts;
  const runFrom = api.calls.length;
  const people = Array.from({ length: opts.people }, (_, i) => new Person(opts.firstId + i));
  const first = new BotProcess(api, opts.databaseUrl);
  await first.listening();
  await Promise.all(people.map(async (p) => {
    for (const u of [p.command('start'), p.press('lang:en')]) {
      const r = await first.post(api, u);
      if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
    }
  }));

  // Telegram is slow: the "I agree" replies are committed and leased, their sends held.
  const held = api.calls.length;
  const release = api.holdSends();
  for (const p of people) void first.post(api, p.press('consent:yes')).catch(() => undefined);
  await until(api, () => people.every((p) => sendsTo(api, held, String(p.id)).length > 0), 60_000);
  await first.kill('SIGKILL');
  const stored = await storedReplies(opts.target);
  // The held requests are answered now: Telegram shows them, the dead process never learns it.
  release();

  const restartFrom = api.calls.length;
  const second = new BotProcess(api, opts.databaseUrl);
  try {
    await second.listening();
    // Someone who saw nothing presses "I agree" again at once. If their replies are still
    // pending, the press gets them; if they arrived already, "That button is from an earlier
    // message" is right. Never the notice before the replies.
    const presser = String(people[0]!.id);
    const again = await second.post(api, people[0]!.press('consent:yes'));
    const answeredBy = api.calls.length;
    const all = () => [...stored].every(([chat, texts]) => sendsTo(api, restartFrom, chat).length >= texts.length);
    const arrived = await until(api, all, opts.deadlineMs - (performance.now() - second.spawnedAt));
    const received = new Map(people.map((p) => [String(p.id), sendsTo(api, restartFrom, String(p.id))]));
    const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
    // Exactly the stored replies, in order; the presser may have had the notice and question after them.
    const wrong = [...received]
      .filter(([chat, texts]) => {
        const want = stored.get(chat) ?? [];
        return chat === presser ? !same(texts.slice(0, want.length), want) : !same(texts, want);
      })
      .map(([chat]) => chat);
    const presserStored = stored.get(presser) ?? [];
    const noticeBeforeReplies =
      received.get(presser)!.slice(0, presserStored.length).some((t) => t.includes('earlier message')) ||
      (again.body.includes('earlier message') && sendsTo(api, restartFrom, presser, answeredBy).length < presserStored.length);
    let lost = 0;
    for (const [chat, texts] of stored) lost += Math.max(0, texts.length - (received.get(chat)?.filter((t) => texts.includes(t)).length ?? 0));
    let repeated = 0;
    for (const p of people) {
      const before = sendsTo(api, held, String(p.id), restartFrom);
      repeated += (received.get(String(p.id)) ?? []).filter((t) => before.includes(t)).length;
    }
    // When the last stored reply arrived (not what the press got afterwards).
    const lastAt = Math.max(
      ...[...stored].map(([chat, texts]) => api.calls.slice(restartFrom).filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === chat)[texts.length - 1]?.at ?? Number.NaN),
    );
    return {
      stored, received, lost, wrong, repeated,
      sends: api.calls.slice(runFrom).filter((c) => c.method === 'sendMessage').length,
      deliveredMs: arrived ? lastAt - second.spawnedAt : Number.NaN,
      listeningMs: second.listeningAt - second.spawnedAt,
      noticeBeforeReplies,
    };
  } finally {
    await second.kill('SIGTERM');
  }
}
